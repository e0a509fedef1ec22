// A judged rotation plan for people (text, a printable Markdown page) and for
// tools (JSON, schema patuh-plan/1). All three read the same plan_result and
// share the wording below.

#include "common/support.hpp"

#include <patuh/plan.hpp>
#include <patuh/report.hpp>

#include <fmt/core.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace patuh {

namespace {

using json = nlohmann::json;

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
    return fmt::format("{}", fmt::join(parts, sep));
}

// How a page writes what comes from its inputs (names, NIPs, posts, units,
// regions, event ids, file names, titles and citations from the plan, the
// state and the rules) and rule ids. The text page writes them as they are
// and passes the lines that hold them through shown(), the JSON's texts
// write them as they are too (JSON escapes them); the Markdown page escapes
// them (markdown_text) and writes rule ids as code spans, so that only its
// own markup reads as markup.
struct style {
    std::string (*input)(std::string_view);
    std::string (*id)(std::string_view);
    std::string (*line)(std::string_view);  // a line made of the above and the page's own words
    std::string inputs(const std::vector<std::string>& parts, std::string_view sep) const {
        std::vector<std::string> out;
        out.reserve(parts.size());
        for (const std::string& x : parts) out.push_back(input(x));
        return join(out, sep);
    }
};

std::string as_written(std::string_view text) { return std::string(text); }

constexpr style text_style{as_written, as_written, shown};
constexpr style markdown_style{markdown_text, markdown_code, as_written};

std::string person_text(const person& p, const style& s) {
    if (p.name.empty()) return fmt::format("NIP {}", s.input(p.nip));
    return fmt::format("{} (NIP {})", s.input(p.name), s.input(p.nip));
}

std::string holder_text(const std::optional<holder>& h, lang l, const style& s) {
    if (!h) return tr(l, "kosong", "vacant");
    return person_text(h->who, s) + (h->acting ? tr(l, ", Plt/Plh", ", acting") : "");
}

std::string authority_title(index_t a, const rule_set& rules, const style& s) {
    return a == no_index ? std::string("?") : s.input(rules.authorities.at(a).title);
}

std::string chain_text(const std::vector<index_t>& route, const rule_set& rules, const style& s) {
    std::vector<std::string> names;
    for (const index_t a : route) names.push_back(authority_title(a, rules, s));
    return join(names, " → ");
}

std::string post_text(const plan_post& p, const rule_set& rules, lang l, const style& s) {
    if (p.title.empty()) return tr(l, "(tidak ada)", "(none)");
    std::string out = s.input(p.title);
    if (p.unit == no_index || !p.covered) out += fmt::format(" ({})", s.input(p.unit_text));
    if (p.covered) out += trf(l, ", eselon {}", ", rank {}", s.input(rules.ranks.at(p.rank).id));
    return out;
}

std::string_view verdict_label(plan_verdict v, lang l) {
    switch (v) {
    case plan_verdict::ready: return tr(l, "SIAP", "READY");
    case plan_verdict::needs_approval: return tr(l, "PERLU PERSETUJUAN", "NEEDS APPROVAL");
    case plan_verdict::blocked: return tr(l, "TERHALANG", "BLOCKED");
    }
    return "?";
}

std::string_view status_label(requirement_status st, lang l) {
    switch (st) {
    case requirement_status::allowed: return tr(l, "tidak memerlukan persetujuan", "no approval needed");
    case requirement_status::held: return tr(l, "persetujuan sudah ada", "approval already held");
    case requirement_status::recognised:
        return tr(l, "mengembalikan pejabat yang diakui pusat", "returns the official the centre recognises");
    case requirement_status::needed: return tr(l, "persetujuan harus diperoleh", "approval to obtain");
    case requirement_status::forbidden: return tr(l, "dilarang; tidak ada persetujuan yang dapat mengesahkannya", "forbidden; no approval can make it lawful");
    }
    return "?";
}

std::string_view action_label(action a, lang l) { return describe_action(static_cast<event_kind>(a), l); }

std::string period_text(const period& p) {
    return fmt::format("{} – {}", p.from == date::min() ? std::string("…") : p.from.iso(),
                       p.until == date::max() ? std::string("…") : p.until.iso());
}

std::string move_head(const move_result& r, const rule_set& rules, lang l, const style& s) {
    const plan_move& m = r.move;
    return trf(l, "baris {} — {}: {} → {}; {}, wilayah {}, TMT {}", "row {} — {}: {} → {}; {}, region {}, effective {}",
               m.row, person_text(m.who, s), post_text(m.from, rules, l, s), post_text(m.to, rules, l, s),
               action_label(m.act, l), s.input(m.region), m.effective.iso());
}

std::string requirement_text(const plan_requirement& q, const move_result& r, const rule_set& rules, lang l,
                             const style& s) {
    const rule& x = rules.rules.at(q.rule);
    const std::string side = q.leaving ? trf(l, "meninggalkan {}", "leaving {}", s.input(r.move.from.title))
                                       : trf(l, "menduduki {}", "taking {}", s.input(r.move.to.title));
    std::string out = fmt::format("{}: {} — {} {} ({}): {}", side, s.input(describe_requirement(x, rules, l)),
                                  tr(l, "aturan", "rule"), s.id(x.id), s.input(rules.policies.at(x.policy).title),
                                  status_label(q.status, l));
    if (q.status == requirement_status::needed) {
        if (q.send_by)
            out += trf(l, "; kirim usulan paling lambat {} (waktu tunggu {} hari)",
                       "; send the proposal by {} (lead time {} {})", q.send_by->iso(), x.lead_days,
                       plural(x.lead_days, "day", "days"));
        else
            out += tr(l, "; aturan tidak menyebut waktu tunggu: kirim usulan sebelum TMT",
                      "; the rules give no lead time: send the proposal before the effective date");
    }
    return out;
}

std::string route_line(const plan_requirement& q, const move_result& r, const rule_set& rules, lang l, const style& s) {
    const rule& x = rules.rules.at(q.rule);
    if (x.need != demand::approval || q.status != requirement_status::needed) return {};
    const route* via = x.route_for(r.move.level);
    if (!via) return tr(l, "jalur usulan: aturan tidak menyebutnya", "route of the proposal: the rules give none");
    return trf(l, "jalur usulan: {}", "route of the proposal: {}", chain_text(via->chain, rules, s));
}

std::string window_text(const plan_window& w, const rule_set& rules, lang l, const style& s) {
    const rule& x = rules.rules.at(w.rule);
    std::string out = fmt::format("{} ({}, {})", s.input(x.title), s.id(x.id), period_text(w.span));
    if (x.window) out += fmt::format(" — {}", s.input(describe_window(*x.window, l)));
    out += ": ";
    if (w.exempted) {
        out += trf(l, "pengecualian berlaku (alasan: {})", "an exemption applies (reason: {})",
                   describe_reason(*w.exempted, l));
    } else {
        out += tr(l, "tidak ada pengecualian yang berlaku", "no exemption applies");
        if (x.need == demand::forbidden && w.span.until != date::max())
            out += trf(l, "; dilarang sampai {}, bisa sejak {}", "; forbidden until {}, possible from {}",
                       w.span.until.iso(), (w.span.until + 1).iso());
        else if (x.need == demand::approval)
            out += trf(l, "; memerlukan persetujuan {}", "; needs the approval of {}", authority_title(x.authority, rules, s));
    }
    return out;
}

std::string effect_text(const plan_effect& fx, const rule_set& rules, lang l, const style& s) {
    const std::string other = fx.other ? person_text(*fx.other, s) : std::string("?");
    const std::string post = s.input(fx.post);
    switch (fx.kind) {
    case effect_kind::vacated: {
        std::string out = fx.head ? trf(l, "JABATAN PIMPINAN {} menjadi kosong", "HEAD POST {} falls vacant", post)
                                  : trf(l, "{} menjadi kosong", "{} falls vacant", post);
        if (fx.until) out += trf(l, " sampai {} (diisi oleh baris {})", " until {} (filled by row {})", fx.until->iso(), fx.by_row);
        else out += tr(l, " dan tetap kosong sesudah rencana", " and stays vacant after the plan");
        out += tr(l, "; tunjuk dan daftarkan Plt/Plh agar ada yang dapat menandatangani",
                  "; appoint and register an acting official (Plt/Plh) so that someone can sign");
        return out;
    }
    case effect_kind::displaced:
        return trf(l, "{} yang menduduki {} dipindahkan dan tidak mendapat jabatan lain dalam rencana",
                   "{}, who holds {}, is moved out and gets no other post in the plan", other, post);
    case effect_kind::displaced_early:
        return trf(l, "{} dikeluarkan dari {} sebelum mutasinya sendiri (baris {})",
                   "{} is moved out of {} before their own move (row {})", other, post, fx.by_row);
    case effect_kind::ends_acting:
        return trf(l, "mengakhiri Plt/Plh {} pada {}", "ends the acting appointment of {} in {}", other, post);
    case effect_kind::double_post:
        return trf(l, "merangkap dua jabatan: {}", "holds two posts: {}", post);
    case effect_kind::closes_finding:
        return trf(l, "mengakhiri penyimpangan yang sudah ada pada {} (aturan {})",
                   "ends the divergence already open on {} (rule {})", post, s.id(rules.rules.at(fx.rule).id));
    case effect_kind::handed_over:
        return trf(l, "{} diambil alih oleh {} pada hari yang sama (baris {}); perubahan jabatan itu dinilai pada baris tersebut",
                   "{} is taken over by {} on the same day (row {}); that change of the post is judged with that row",
                   post, other, fx.by_row);
    }
    return {};
}

std::string conflict_text(const plan_conflict& c, const move_result& r, lang l, const style& s) {
    const plan_move& m = r.move;
    switch (c.kind) {
    case conflict_kind::not_holder:
        return trf(l, "menurut log keadaan, {} diduduki {}, bukan {}", "the state log shows {} held by {}, not by {}",
                   s.input(m.from.title),
                   c.holder ? person_text(*c.holder, s) : std::string(tr(l, "tidak seorang pun", "nobody")),
                   person_text(m.who, s));
    case conflict_kind::moved_elsewhere:
        return c.post.empty()
                   ? trf(l, "baris {} sudah memberhentikan orang ini", "row {} already takes this person out of service",
                         c.other_row)
                   : trf(l, "baris {} sudah memindahkan orang ini ke {}, bukan ke {}",
                         "row {} already moves this person to {}, not to {}", c.other_row, s.input(c.post),
                         s.input(m.from.title));
    case conflict_kind::same_post:
        return trf(l, "baris {} mengisi {} pada tanggal yang sama", "row {} fills {} on the same date", c.other_row,
                   s.input(m.to.title));
    case conflict_kind::same_person:
        return trf(l, "baris {} memindahkan orang yang sama pada tanggal yang sama",
                   "row {} moves the same person on the same date", c.other_row);
    case conflict_kind::refused:
        return trf(l, "mesin tidak dapat menempatkannya: {}", "the engine cannot place it: {}", s.input(c.reason.in(l)));
    case conflict_kind::double_post:
        return trf(l, "{} akan merangkap dua jabatan yang diatur ({})", "{} would hold two covered posts ({})",
                   person_text(m.who, s), s.input(c.post));
    }
    return {};
}

std::string deadline_text(const move_result& r, lang l) {
    if (r.verdict != plan_verdict::needs_approval) return {};
    std::string out;
    if (r.send_by) out = trf(l, "kirim usulan paling lambat {}", "send the proposal by {}", r.send_by->iso());
    if (r.no_lead_time)
        out += (out.empty() ? "" : "; ") +
               std::string(tr(l, "sebagian aturan tidak menyebut waktu tunggu", "some rules give no lead time"));
    if (r.late)
        out += trf(l, " — TERLAMBAT: tenggat sudah lewat; TMT paling cepat yang masih memenuhi waktu tunggu: {}",
                   " — LATE: the deadline has passed; the earliest effective date the lead times still allow: {}",
                   r.earliest->iso());
    return out;
}

std::string_view chain_label(plan_chain::shape shape, lang l) {
    switch (shape) {
    case plan_chain::shape::chain: return tr(l, "rantai", "chain");
    case plan_chain::shape::swap: return tr(l, "tukar jabatan", "swap");
    case plan_chain::shape::ring: return tr(l, "rotasi melingkar", "rotation ring");
    }
    return "?";
}

std::string chain_text(const plan_chain& c, const plan_result& p, const style& s) {
    std::vector<std::string> rows;
    for (const std::size_t i : c.moves) rows.push_back(std::to_string(p.moves.at(i).move.row));
    return fmt::format("{} ({})", s.inputs(c.posts, " → "), join(rows, ", "));
}

std::string letter_item(const move_result& r, lang l, const style& s) {
    const plan_move& m = r.move;
    const std::string who = m.who.name.empty() ? fmt::format("NIP {}", s.input(m.who.nip))
                                               : fmt::format("{}, NIP {}", s.input(m.who.name), s.input(m.who.nip));
    const std::string from = s.input(m.from.title), to = s.input(m.to.title);
    switch (m.act) {
    case action::transfer:
        return trf(l, "{}, dari {} menjadi {}, TMT {}", "{}, from {} to {}, effective {}", who,
                   m.from.title.empty() ? s.input(m.from.unit_text) : from, to, m.effective.iso());
    case action::appoint:
        return trf(l, "{}, diangkat sebagai {}, TMT {}", "{}, appointed {}, effective {}", who, to, m.effective.iso());
    case action::dismiss:
        return trf(l, "{}, diberhentikan dari {}, TMT {}", "{}, dismissed from {}, effective {}", who, from,
                   m.effective.iso());
    case action::acting:
        return trf(l, "{}, ditunjuk sebagai Plt {}, TMT {}", "{}, appointed acting {}, effective {}", who, to,
                   m.effective.iso());
    case action::inaugurate:
        return trf(l, "{}, dilantik sebagai {}, TMT {}", "{}, inaugurated as {}, effective {}", who, to,
                   m.effective.iso());
    }
    return {};
}

// The paragraph an HR officer pastes into the proposal letter.
std::string letter_paragraph(const plan_letter& letter, const plan_result& p, const rule_set& rules, lang l,
                             const style& s) {
    const move_result& first = p.moves.at(letter.moves.front());
    const plan_move& m = first.move;
    const index_t unit = m.to.covered ? m.to.unit : m.from.unit;
    const std::string unit_title = unit == no_index ? m.to.unit_text : rules.units.at(unit).title;
    const std::string level = m.level == no_index ? std::string() : rules.levels.at(m.level).title;
    std::vector<std::string> items;
    for (std::size_t k = 0; k < letter.moves.size(); ++k)
        items.push_back(fmt::format("{}. {}", k + 1, letter_item(p.moves.at(letter.moves[k]), l, s)));
    std::vector<std::string> via;
    for (std::size_t k = 1; k + 1 < letter.route.size(); ++k) via.push_back(authority_title(letter.route[k], rules, s));
    std::vector<std::string> cites;
    for (const std::uint32_t x : letter.rules) {
        const std::string& c = rules.rules.at(x).citation;
        if (!c.empty() && std::find(cites.begin(), cites.end(), c) == cites.end()) cites.push_back(c);
    }
    std::string out = trf(l,
                          "Dengan hormat, bersama ini kami mengajukan permohonan persetujuan {} atas perubahan pejabat "
                          "pada {} {} (kode wilayah {}) sebagai berikut: {}.",
                          "Dear Sir or Madam, we hereby request the approval of the {} for the following changes of "
                          "officials of the {} of {} (region code {}): {}.",
                          authority_title(letter.to, rules, s), s.input(unit_title), s.input(level), s.input(m.region),
                          join(items, "; "));
    if (!via.empty())
        out += trf(l, " Permohonan ini kami sampaikan melalui {}.", " This request is sent through the {}.",
                   join(via, tr(l, " dan ", " and the ")));
    if (!cites.empty())
        out += trf(l, " Permohonan ini diajukan berdasarkan {}.", " It is made under {}.", s.inputs(cites, "; "));
    out += tr(l, " Demikian permohonan ini kami sampaikan; atas perhatian dan persetujuannya kami ucapkan terima kasih.",
              " Thank you for your attention and approval.");
    return out;
}

std::string letter_head(const plan_letter& letter, const plan_result& p, const rule_set& rules, lang l, const style& s) {
    std::string out = letter.send_by
                          ? trf(l, "kirim paling lambat {}", "send by {}", letter.send_by->iso())
                          : std::string(tr(l, "aturan tidak menyebut waktu tunggu", "the rules give no lead time"));
    if (letter.send_by && *letter.send_by < p.options.today) out += tr(l, " (TERLAMBAT)", " (LATE)");
    out += trf(l, " (diperlukan sebelum TMT {})", " (needed before the effective date {})", letter.needed_by.iso());
    if (!letter.route.empty()) out += trf(l, "; jalur: {}", "; route: {}", chain_text(letter.route, rules, s));
    return out;
}

std::string finding_text(const finding& f, const rule_set& rules, lang l, const style& s) {
    const rule& x = rules.rules.at(f.rule);
    return trf(l, "{} {} — {}, wilayah {}, terbuka sejak {} (peristiwa {})",
               "{} {} — {}, region {}, open since {} (event {})", describe_severity(f.sev, l), s.id(x.id),
               s.input(f.position), s.input(f.region), f.opened.iso(), s.input(f.event_id));
}

std::string summary_text(const plan_result& p, lang l) {
    const std::size_t needing = p.count(plan_verdict::needs_approval);
    return trf(l, "Dibaca {0} baris: {2} direncanakan, {3} ditolak. Hasil: {4} siap, {5} perlu persetujuan, {6} terhalang.",
               "Read {0} {1}: {2} planned, {3} rejected. Verdicts: {4} ready, {5} {7} approval, {6} blocked.", p.rows,
               plural(p.rows, "row", "rows"), p.moves.size(), p.rejected.size(), p.count(plan_verdict::ready), needing,
               p.count(plan_verdict::blocked), plural(needing, "needs", "need"));
}

std::string state_text(const plan_result& p, lang l) {
    return trf(l, "Log keadaan: {0} rekaman dibaca, {2} ditolak.", "State log: {0} {1} read, {2} rejected.", p.state_read,
               plural(p.state_read, "record", "records"), p.state_rejected);
}

std::string posts_heading(const plan_result& p, lang l) {
    return p.options.assume_approved
               ? tr(l, "Jabatan sebelum dan sesudah rencana, bila semua persetujuan terbit",
                    "Posts before and after the plan, once every approval arrives")
               : tr(l, "Jabatan sebelum dan sesudah rencana, dengan persetujuan yang sudah ada saja",
                    "Posts before and after the plan, with the approvals already held only");
}

std::string_view yes_no(bool b, lang l) { return b ? tr(l, "ya", "yes") : tr(l, "tidak", "no"); }

std::string before_text(const post_row& row, lang l, const style& s) {
    return row.before_known ? holder_text(row.before, l, s) : std::string(tr(l, "belum tercatat", "not on record"));
}

std::string rejection_text(const plan_rejection& x, lang l, const style& s) {
    return fmt::format("{}:{}: {}{}: {}", s.input(x.source), x.row, x.code, x.field.empty() ? "" : " [" + s.input(x.field) + "]",
                       s.input(x.reason.in(l)));
}

// What a move needs and does, one line per item: `item` starts each line,
// `sub` a line that belongs to the item above.
std::string move_details(const move_result& r, const rule_set& rules, lang l, std::string_view item, std::string_view sub,
                         const style& s) {
    std::vector<std::string> lines;
    const auto add = [&](std::string_view lead, const std::string& text) {
        lines.push_back(fmt::format("{}{}\n", lead, s.line(text)));
    };
    if (!r.covered)
        add(item, tr(l, "tidak diatur: jabatan ini tidak memerlukan persetujuan pusat",
                     "not covered: no central approval is needed for these posts"));
    if (r.assumed_holder)
        add(item, tr(l, "log keadaan tidak mencatat jabatan lama; rencana dianggap benar",
                     "the state log does not know the post left; the row is taken at its word"));
    for (const plan_requirement& q : r.requirements) {
        add(item, requirement_text(q, r, rules, l, s));
        if (const std::string route = route_line(q, r, rules, l, s); !route.empty()) add(sub, route);
        if (!rules.rules.at(q.rule).citation.empty())
            add(sub, trf(l, "dasar: {}", "citation: {}", s.input(rules.rules.at(q.rule).citation)));
    }
    for (const plan_window& w : r.windows)
        add(item, trf(l, "masa terbatas: {}", "restricted window: {}", window_text(w, rules, l, s)));
    for (const plan_effect& fx : r.effects) add(item, trf(l, "akibat: {}", "effect: {}", effect_text(fx, rules, l, s)));
    for (const plan_conflict& c : r.conflicts)
        add(item, trf(l, "konflik: {}", "conflict: {}", conflict_text(c, r, l, s)));
    if (const std::string d = deadline_text(r, l); !d.empty()) add(item, trf(l, "tenggat: {}", "deadline: {}", d));
    return join(lines, "");
}

}  // namespace

std::string render_plan_text(const plan_result& p, const rule_set& rules, lang l) {
    const style& s = text_style;
    std::string out = trf(l, "patuh plan — {0} langkah, wilayah {2}, per {3}\n", "patuh plan — {0} {1}, region {2}, as of {3}\n",
                          p.moves.size(), plural(p.moves.size(), "move", "moves"), shown(join(p.regions, ", ")),
                          p.options.today.iso());
    out += summary_text(p, l) + "\n" + state_text(p, l) + "\n";
    for (const rejection& x : p.state_rejections) {
        out += fmt::format("  {}:{}: {} {}", shown(x.source), x.line, x.code, shown(x.reason.in(l)));
        if (const std::string id = x.listed_id(); !id.empty()) out += trf(l, " — peristiwa {}", " — event {}", shown(id));
        out += '\n';
    }
    if (!p.rejected.empty()) {
        out += fmt::format("\n{}\n", tr(l, "Baris yang ditolak", "Rejected rows"));
        for (const plan_rejection& x : p.rejected) out += fmt::format("  {}\n", shown(rejection_text(x, l, s)));
    }
    out += fmt::format("\n{}\n", tr(l, "Penyimpangan yang sudah ada sebelum rencana", "Already divergent before the plan"));
    if (p.divergent.empty()) out += fmt::format("  {}\n", tr(l, "tidak ada", "none"));
    for (const std::size_t i : p.divergent) {
        const finding& f = p.findings.at(i);
        out += fmt::format("  {}\n", shown(finding_text(f, rules, l, s)));
        out += trf(l, "    perbaikan: {}\n", "    remedy: {}\n", shown(describe_remedy(f.fix, rules, l)));
    }
    out += fmt::format("\n{}\n", tr(l, "Langkah", "Moves"));
    for (const move_result& r : p.moves) {
        out += fmt::format("  [{}] {}\n", verdict_label(r.verdict, l), shown(move_head(r, rules, l, s)));
        out += move_details(r, rules, l, "    ", "      ", s);
    }
    out += fmt::format("\n{}\n", tr(l, "Rantai, tukar jabatan dan rotasi", "Chains, swaps and rotations"));
    if (p.chains.empty()) out += fmt::format("  {}\n", tr(l, "tidak ada", "none"));
    for (const plan_chain& c : p.chains) out += fmt::format("  {}: {}\n", chain_label(c.kind, l), shown(chain_text(c, p, s)));
    out += fmt::format("\n{}\n", tr(l, "Surat yang harus dikirim (per tujuan, menurut urutan pengiriman)",
                                    "Letters to send (by addressee, in the order to send them)"));
    if (p.letters.empty()) out += fmt::format("  {}\n", tr(l, "tidak ada", "none"));
    index_t addressee = no_index;
    for (std::size_t k = 0; k < p.letters.size(); ++k) {
        const plan_letter& letter = p.letters[k];
        if (letter.to != addressee) {
            addressee = letter.to;
            out += trf(l, "  Kepada {}\n", "  To the {}\n", authority_title(letter.to, rules, s));
        }
        out += fmt::format("    - {}\n", letter_head(letter, p, rules, l, s));
        for (const std::size_t i : letter.moves)
            out += fmt::format("      {}\n", shown(move_head(p.moves.at(i), rules, l, s)));
        out += fmt::format("      {}\n", shown(letter_paragraph(letter, p, rules, l, s)));
    }
    out += fmt::format("\n{}\n", posts_heading(p, l));
    for (const post_row& row : p.posts)
        out += trf(l, "  {}: sebelum {} (diakui: {}); sesudah {} (diakui: {})\n",
                   "  {}: before {} (recognised: {}); after {} (recognised: {})\n", shown(row.post),
                   shown(before_text(row, l, s)), yes_no(row.before_recognised, l), shown(holder_text(row.after, l, s)),
                   yes_no(row.after_recognised, l));
    return out;
}

// Every text from the inputs goes through markdown_style (escaped, rule ids
// as code spans); the page's own words and markup are written as they are.
std::string render_plan_markdown(const plan_result& p, const rule_set& rules, lang l) {
    const style& s = markdown_style;
    std::string out = trf(l, "# Rencana mutasi — wilayah {}\n\n", "# Rotation plan — region {}\n\n", s.inputs(p.regions, ", "));
    out += trf(l, "Per {}. {} {}\n", "As of {}. {} {}\n", p.options.today.iso(), summary_text(p, l), state_text(p, l));
    out += fmt::format("\n| {} | {} | {} | {} | {} | {} |\n|---|---|---|---|---|---|\n", tr(l, "Baris", "Row"),
                       tr(l, "Pegawai", "Official"), tr(l, "Dari → ke", "From → to"), tr(l, "TMT", "Effective"),
                       tr(l, "Hasil", "Verdict"), tr(l, "Kirim usulan paling lambat", "Send the proposal by"));
    for (const move_result& r : p.moves)
        out += fmt::format("| {} | {} | {} → {} | {} | **{}** | {} |\n", r.move.row, person_text(r.move.who, s),
                           post_text(r.move.from, rules, l, s), post_text(r.move.to, rules, l, s),
                           r.move.effective.iso(), verdict_label(r.verdict, l),
                           r.send_by ? r.send_by->iso() + (r.late ? tr(l, " (terlambat)", " (late)") : "") : "-");
    if (!p.rejected.empty()) {
        out += fmt::format("\n## {}\n\n", tr(l, "Baris yang ditolak", "Rejected rows"));
        for (const plan_rejection& x : p.rejected) out += fmt::format("- {}\n", rejection_text(x, l, s));
    }
    out += fmt::format("\n## {}\n\n", tr(l, "Penyimpangan yang sudah ada sebelum rencana", "Already divergent before the plan"));
    if (p.divergent.empty()) out += fmt::format("{}\n", tr(l, "Tidak ada.", "None."));
    for (const std::size_t i : p.divergent) {
        const finding& f = p.findings.at(i);
        out += fmt::format("- {}; {}\n", finding_text(f, rules, l, s), s.input(describe_remedy(f.fix, rules, l)));
    }
    out += fmt::format("\n## {}\n", tr(l, "Langkah", "Moves"));
    for (const move_result& r : p.moves) {
        out += fmt::format("\n### {} — {}\n\n", verdict_label(r.verdict, l), move_head(r, rules, l, s));
        out += move_details(r, rules, l, "- ", "  - ", s);
    }
    out += fmt::format("\n## {}\n\n", tr(l, "Rantai, tukar jabatan dan rotasi", "Chains, swaps and rotations"));
    if (p.chains.empty()) out += fmt::format("{}\n", tr(l, "Tidak ada.", "None."));
    for (const plan_chain& c : p.chains) out += fmt::format("- {}: {}\n", chain_label(c.kind, l), chain_text(c, p, s));
    out += fmt::format("\n## {}\n", tr(l, "Surat yang harus dikirim", "Letters to send"));
    if (p.letters.empty()) out += fmt::format("\n{}\n", tr(l, "Tidak ada.", "None."));
    index_t addressee = no_index;
    for (const plan_letter& letter : p.letters) {
        if (letter.to != addressee) {
            addressee = letter.to;
            out += trf(l, "\n### Kepada {}\n", "\n### To the {}\n", authority_title(letter.to, rules, s));
        }
        out += fmt::format("\n- [ ] {}\n\n  > {}\n", letter_head(letter, p, rules, l, s),
                           letter_paragraph(letter, p, rules, l, s));
    }
    out += fmt::format("\n## {}\n\n| {} | {} | {} | {} | {} |\n|---|---|---|---|---|\n", posts_heading(p, l),
                       tr(l, "Jabatan", "Post"), tr(l, "Sebelum", "Before"), tr(l, "Diakui", "Recognised"),
                       tr(l, "Sesudah", "After"), tr(l, "Diakui", "Recognised"));
    for (const post_row& row : p.posts)
        out += fmt::format("| {} | {} | {} | {} | {} |\n", s.input(row.post), before_text(row, l, s),
                           yes_no(row.before_recognised, l), holder_text(row.after, l, s), yes_no(row.after_recognised, l));
    return out;
}

json render_plan_json(const plan_result& p, const rule_set& rules, lang l) {
    const auto person_json = [](const person& x) { return json{{"nip", x.nip}, {"name", x.name}}; };
    // A holder: the person, and whether acting (Plt/Plh); null when nobody.
    const auto holder_json = [](const person* who, bool acting) -> json {
        if (who == nullptr) return nullptr;
        return {{"nip", who->nip}, {"name", who->name}, {"acting", acting}};
    };
    const auto post_holder_json = [&](const std::optional<holder>& h) {
        return h ? holder_json(&h->who, h->acting) : json(nullptr);
    };
    const auto finding_holder_json = [&](const std::optional<person>& who, bool acting) {
        return holder_json(who ? &*who : nullptr, acting);
    };
    const auto post_json = [&](const plan_post& x) -> json {
        if (x.title.empty()) return nullptr;
        return {{"title", x.title},
                {"unit", x.unit == no_index ? json(nullptr) : json(rules.units.at(x.unit).id)},
                {"unit_text", x.unit_text},
                {"rank", x.rank == no_index ? json(nullptr) : json(rules.ranks.at(x.rank).id)},
                {"covered", x.covered}};
    };
    const auto date_json = [](const std::optional<date>& d) -> json { return d ? json(d->iso()) : json(nullptr); };
    json moves = json::array();
    for (const move_result& r : p.moves) {
        const plan_move& m = r.move;
        json reqs = json::array();
        for (const plan_requirement& q : r.requirements) {
            const rule& x = rules.rules.at(q.rule);
            const route* via = x.route_for(m.level);
            json route = json::array();
            if (via)
                for (const index_t a : via->chain) route.push_back(rules.authorities.at(a).id);
            reqs.push_back({{"rule_id", x.id},
                            {"policy", rules.policies.at(x.policy).id},
                            {"side", q.leaving ? "leaving" : "taking"},
                            {"need", x.need == demand::approval ? "approval" : x.need == demand::allowed ? "allowed" : "forbidden"},
                            {"authority", x.authority == no_index ? json(nullptr) : json(rules.authorities.at(x.authority).id)},
                            {"or_higher", x.or_higher},
                            {"requires", describe_requirement(x, rules, l)},
                            {"route", std::move(route)},
                            {"lead_days", x.lead_days > 0 ? json(x.lead_days) : json(nullptr)},
                            {"status", to_string(q.status)},
                            {"send_by", date_json(q.send_by)},
                            {"citation", x.citation}});
        }
        json windows = json::array();
        for (const plan_window& w : r.windows)
            windows.push_back({{"rule_id", rules.rules.at(w.rule).id},
                               {"from", w.span.from == date::min() ? json(nullptr) : json(w.span.from.iso())},
                               {"until", w.span.until == date::max() ? json(nullptr) : json(w.span.until.iso())},
                               {"exempted", w.exempted ? json(to_string(*w.exempted)) : json(nullptr)},
                               {"text", window_text(w, rules, l, text_style)}});
        json effects = json::array();
        for (const plan_effect& fx : r.effects)
            effects.push_back({{"kind", to_string(fx.kind)},
                               {"post", fx.post},
                               {"head", fx.head},
                               {"person", fx.other ? person_json(*fx.other) : json(nullptr)},
                               {"until", date_json(fx.until)},
                               {"row", fx.by_row == 0 ? json(nullptr) : json(fx.by_row)},
                               {"text", effect_text(fx, rules, l, text_style)}});
        json conflicts = json::array();
        for (const plan_conflict& c : r.conflicts)
            conflicts.push_back({{"kind", to_string(c.kind)},
                                 {"row", c.other_row == 0 ? json(nullptr) : json(c.other_row)},
                                 {"text", conflict_text(c, r, l, text_style)}});
        json findings = json::array();
        for (const std::size_t i : r.findings) {
            const finding& f = p.findings.at(i);
            findings.push_back({{"rule_id", rules.rules.at(f.rule).id}, {"severity", to_string(f.sev)}, {"position", f.position}});
        }
        moves.push_back({{"row", m.row},
                         {"source", m.source},
                         {"id", m.id},
                         {"person", person_json(m.who)},
                         {"region", m.region},
                         {"action", to_string(m.act)},
                         {"from", post_json(m.from)},
                         {"to", post_json(m.to)},
                         {"effective", m.effective.iso()},
                         {"reason", m.why ? json(to_string(*m.why)) : json(nullptr)},
                         {"covered", r.covered},
                         {"assumed_holder", r.assumed_holder},
                         {"requirements", std::move(reqs)},
                         {"windows", std::move(windows)},
                         {"effects", std::move(effects)},
                         {"conflicts", std::move(conflicts)},
                         {"findings", std::move(findings)},
                         {"send_by", date_json(r.send_by)},
                         {"late", r.late},
                         {"earliest_effective", date_json(r.earliest)},
                         {"no_lead_time", r.no_lead_time},
                         {"verdict", to_string(r.verdict)}});
    }
    json chains = json::array();
    for (const plan_chain& c : p.chains) {
        json rows = json::array();
        for (const std::size_t i : c.moves) rows.push_back(p.moves.at(i).move.row);
        const char* kind = c.kind == plan_chain::shape::chain ? "chain" : c.kind == plan_chain::shape::swap ? "swap" : "ring";
        chains.push_back({{"kind", kind}, {"posts", c.posts}, {"rows", std::move(rows)}});
    }
    json letters = json::array();
    for (const plan_letter& letter : p.letters) {
        json rows = json::array();
        for (const std::size_t i : letter.moves) rows.push_back(p.moves.at(i).move.row);
        json route = json::array();
        for (const index_t a : letter.route) route.push_back(rules.authorities.at(a).id);
        json rule_ids = json::array();
        for (const std::uint32_t x : letter.rules) rule_ids.push_back(rules.rules.at(x).id);
        letters.push_back({{"to", rules.authorities.at(letter.to).id},
                           {"route", std::move(route)},
                           {"send_by", date_json(letter.send_by)},
                           {"needed_by", letter.needed_by.iso()},
                           {"rows", std::move(rows)},
                           {"rules", std::move(rule_ids)},
                           {"text", letter_paragraph(letter, p, rules, l, text_style)}});
    }
    json posts = json::array();
    for (const post_row& row : p.posts)
        posts.push_back({{"post", row.post},
                         {"before", row.before_known ? post_holder_json(row.before) : json(nullptr)},
                         {"before_known", row.before_known},
                         {"before_recognised", row.before_recognised},
                         {"after", post_holder_json(row.after)},
                         {"after_recognised", row.after_recognised}});
    json divergent = json::array();
    for (const std::size_t i : p.divergent) {
        const finding& f = p.findings.at(i);
        divergent.push_back({{"rule_id", rules.rules.at(f.rule).id},
                             {"severity", to_string(f.sev)},
                             {"region", f.region},
                             {"position", f.position},
                             {"opened", f.opened.iso()},
                             {"de_facto", finding_holder_json(f.de_facto, f.de_facto_acting)},
                             {"de_jure", finding_holder_json(f.de_jure, f.de_jure_acting)},
                             {"event", f.event_id},
                             {"closed", f.closed ? json(f.closed->iso()) : json(nullptr)},
                             {"closed_by", f.closed ? json(f.closed_by) : json(nullptr)},
                             {"remedy", describe_remedy(f.fix, rules, l)}});
    }
    json rejected = json::array();
    for (const plan_rejection& x : p.rejected)
        rejected.push_back({{"source", x.source}, {"row", x.row}, {"code", x.code},
                            {"field", x.field.empty() ? json(nullptr) : json(x.field)}, {"reason", x.reason.in(l)}});
    json state_rejected = json::array();
    for (const rejection& x : p.state_rejections)
        state_rejected.push_back({{"source", x.source},
                                  {"line", x.line},
                                  {"id", x.id.empty() ? json(nullptr) : json(x.id)},
                                  {"code", x.code},
                                  {"reason", x.reason.in(l)}});
    return {{"schema", plan_schema_version},
            {"today", p.options.today.iso()},
            {"assume_approved", p.options.assume_approved},
            {"regions", p.regions},
            {"summary",
             {{"rows", p.rows},
              {"planned", p.moves.size()},
              {"rejected", p.rejected.size()},
              {"ready", p.count(plan_verdict::ready)},
              {"needs_approval", p.count(plan_verdict::needs_approval)},
              {"blocked", p.count(plan_verdict::blocked)},
              {"state_read", p.state_read},
              {"state_rejected", p.state_rejected}}},
            {"divergent", std::move(divergent)},
            {"moves", std::move(moves)},
            {"chains", std::move(chains)},
            {"letters", std::move(letters)},
            {"posts", std::move(posts)},
            {"rejected", std::move(rejected)},
            {"state_rejected", std::move(state_rejected)}};
}

}  // namespace patuh
