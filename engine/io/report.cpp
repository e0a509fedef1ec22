// Audit reports: text for people, JSON and JSON Lines for tools. All read
// the same audit_report; none changes it.

#include "common/support.hpp"
#include "io/report_support.hpp"

#include <patuh/report.hpp>

#include <fmt/core.h>
#include <nlohmann/json.hpp>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <sstream>
#include <utility>

namespace patuh {

namespace {

// Text written piece by piece goes to a `put`, called with a std::string_view
// for each piece of text from the input or the rule set, and with a
// plain_text for each piece of the program's own.

// The program's own text (UTF-8 from this file) that JSON writes as it is: no
// control character, quote or backslash. Made by plain() or by a wording,
// both checked at compile time.
struct plain_text {
    std::string_view text;
};

constexpr bool is_json_plain(std::string_view text) {
    for (const char c : text)
        if (static_cast<unsigned char>(c) < 0x20 || c == '"' || c == '\\') return false;
    return true;
}

consteval plain_text plain(const char* text) {
    if (!is_json_plain(text)) throw "the text needs escaping in JSON";
    return {text};
}

// A person as the reports name them, "Asir Mangopo (NIP 196504121990031007)".
template <class Put>
void name_pieces(const person& p, Put& put) {
    put(std::string_view(p.name));
    put(plain(" (NIP "));
    put(std::string_view(p.nip));
    put(plain(")"));
}

// A wording in both languages with `holes` places ("{}") for parts, checked
// at compile time like trf's: `fill` gives it piece by piece.
template <std::size_t holes>
class wording {
public:
    using pieces = std::array<plain_text, holes + 1>;
    consteval wording(const char* id, const char* en) : id_(split(id)), en_(split(en)) {}
    // The text around the holes in language `l`.
    const pieces& in(lang l) const { return l == lang::id ? id_ : en_; }

private:
    static consteval pieces split(std::string_view text) {
        if (!is_json_plain(text)) throw "a wording needs escaping in JSON";
        pieces out{};
        for (std::size_t k = 0; k < holes; ++k) {
            const std::size_t at = text.find("{}");
            if (at == std::string_view::npos) throw "a wording has fewer holes than parts";
            out[k] = {text.substr(0, at)};
            text.remove_prefix(at + 2);
        }
        if (text.find_first_of("{}") != std::string_view::npos) throw "a wording has more holes than parts";
        out[holes] = {text};
        return out;
    }
    pieces id_, en_;
};

// Gives `put` wording `w` in language `l`, each hole filled by the next of
// `parts` (called with no arguments, each gives its own pieces to `put`).
template <class Put, class... Parts>
void fill(Put& put, lang l, const wording<sizeof...(Parts)>& w, const Parts&... parts) {
    const auto& pieces = w.in(l);
    std::size_t k = 0;
    ((put(pieces[k++]), parts()), ...);
    put(pieces[k]);
}

// A `put` that appends every piece to `out`.
auto appending_to(std::string& out) {
    return overloaded{[&out](std::string_view s) { out += s; }, [&out](plain_text s) { out += s.text; }};
}

}  // namespace

namespace report_support {

std::string name_of(const person& p) {
    std::string out;
    auto put = appending_to(out);
    name_pieces(p, put);
    return out;
}

std::string holder_name(const person& p, bool acting, lang l) {
    std::string out = name_of(p);
    if (acting) out += tr(l, ", Plt/Plh", ", acting");
    return out;
}

void flush_when_full(std::ostream& os, std::string& buffer) {
    if (buffer.size() < (std::size_t{64} << 10)) return;
    os << buffer;
    buffer.clear();
}

std::string written(const std::function<void(std::ostream&)>& write) {
    std::ostringstream out;
    write(out);
    return std::move(out).str();
}

}  // namespace report_support

using namespace report_support;

namespace {

using json = nlohmann::json;

std::string_view authority_title(index_t a, const rule_set& rules) {
    return a == no_index ? std::string_view() : std::string_view(rules.authorities.at(a).title);
}

}  // namespace

std::string_view describe_severity(severity s, lang l) {
    static constexpr std::array<std::string_view, 5> en = {"INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL"};
    static constexpr std::array<std::string_view, 5> id = {"INFO", "RENDAH", "SEDANG", "TINGGI", "KRITIS"};
    return (l == lang::id ? id : en)[static_cast<std::size_t>(s)];
}

std::string_view describe_reason(reason r, lang l) {
    switch (r) {
    case reason::death: return tr(l, "meninggal dunia", "death");
    case reason::retirement: return tr(l, "pensiun", "retirement");
    case reason::resignation: return tr(l, "mengundurkan diri", "resignation");
    case reason::arrest: return tr(l, "ditahan (OTT)", "arrest");
    case reason::definitive: return tr(l, "Plt menjadi definitif", "acting holder made definitive");
    }
    return "?";
}

std::string_view describe_action(event_kind k, lang l) {
    switch (k) {
    case event_kind::appoint: return tr(l, "pengangkatan", "appointment");
    case event_kind::dismiss: return tr(l, "pemberhentian", "dismissal");
    case event_kind::transfer: return tr(l, "mutasi", "transfer");
    case event_kind::acting: return tr(l, "penunjukan Plt/Plh", "acting appointment");
    case event_kind::inaugurate: return tr(l, "pelantikan", "inauguration");
    case event_kind::approve: return tr(l, "persetujuan pusat", "central approval");
    case event_kind::propose: return tr(l, "usulan", "proposal");
    case event_kind::warn: return tr(l, "teguran", "warning");
    case event_kind::cutoff: return tr(l, "pemutusan", "cutoff");
    case event_kind::restore: return tr(l, "pemulihan", "restore");
    case event_kind::head_inaugurated: return tr(l, "pelantikan kepala daerah", "inauguration of the regional head");
    case event_kind::caretaker: return tr(l, "penjabat kepala daerah", "caretaker regional head");
    case event_kind::election: return tr(l, "jadwal pilkada", "regional election schedule");
    }
    return "?";
}

namespace report_support {

std::string_view close_label(close_cause c, lang l) {
    switch (c) {
    case close_cause::reinstated: return tr(l, "pejabat yang diakui dikembalikan", "the recognised official was reinstated");
    case close_cause::approved: return tr(l, "persetujuan pusat diterima", "the central approval arrived");
    case close_cause::installed: return tr(l, "jabatan diisi", "the post was filled");
    case close_cause::post_changed: return tr(l, "jabatan berubah", "the post changed");
    case close_cause::left_post: return tr(l, "pejabat meninggalkan jabatan", "the official left the post");
    case close_cause::exempt:
        return tr(l, "pejabat baru tidak memerlukan persetujuan pusat", "the new official needs no central approval");
    }
    return "?";
}

std::string level_title(index_t level, const rule_set& rules) {
    return level == no_index ? std::string("?") : rules.levels.at(level).title;
}

std::string unit_title(index_t unit, const rule_set& rules) {
    return unit == no_index ? std::string("?") : rules.units.at(unit).title;
}

std::string rank_title(index_t rank, const rule_set& rules) {
    return rank == no_index ? std::string("-") : rules.ranks.at(rank).id;
}

}  // namespace report_support

std::string describe_stage(int stage, const rule_set& rules, lang l) {
    if (stage < 0) return tr(l, "tidak ada risiko terbuka", "no open risk");
    return rules.ladder.at(static_cast<std::size_t>(stage)).label.in(l);
}

namespace report_support {

std::string services_text(const std::vector<index_t>& services, const rule_set& rules) {
    std::string out;
    for (const index_t s : services) {
        if (!out.empty()) out += ", ";
        out += rules.services.at(s).title;
    }
    return out;
}

}  // namespace report_support

std::string describe_requirement(const rule& r, const rule_set& rules, lang l) {
    switch (r.need) {
    case demand::allowed: return tr(l, "tidak memerlukan persetujuan", "no approval needed");
    case demand::forbidden: return tr(l, "dilarang pada masa ini", "forbidden in this period");
    case demand::approval: break;
    }
    std::string out(authority_title(r.authority, rules));
    if (r.or_higher) out += tr(l, " atau yang lebih tinggi", " or higher");
    if (r.timing == ast::timing_kind::within_days)
        out += trf(l, ", paling lambat {} hari setelah TMT", ", within {} {} of the effective date", r.days,
                   plural(r.days, "day", "days"));
    else
        out += tr(l, ", paling lambat pada TMT", ", on or before the effective date");
    return out;
}

input_tally::input_tally(const std::vector<std::string>& names) : inputs_(names.size()) {
    for (std::size_t i = 0; i < names.size(); ++i) inputs_[i].name = names[i];
}

bool input_tally::judge(engine& judge, std::size_t input, const event& e, rejection& why) {
    input_summary& in = inputs_.at(input);
    const std::uint64_t evaluated = judge.evaluated();
    const std::uint64_t after_as_of = judge.after_as_of();
    const bool placed = judge.add(e, why);
    in.evaluated += judge.evaluated() - evaluated;
    in.after_as_of += judge.after_as_of() - after_as_of;
    return placed;
}

void input_tally::rejected(std::size_t input, const rejection& x) {
    input_summary& in = inputs_.at(input);
    ++in.rejected;
    if (x.ends_input && !in.stopped()) {
        in.stopped_line = x.line;
        in.stopped_code = x.code;
    }
}

void input_tally::input_read(std::size_t input, std::uint64_t read) { inputs_.at(input).read = read; }

namespace report_support {

severity_counts count(const finding_list& findings) {
    severity_counts c;
    for (std::size_t i = 0; i < findings.size(); ++i) {
        const auto s = static_cast<std::size_t>(findings.sev(i));
        c.all[s]++;
        if (!findings.closed(i)) c.open[s]++;
    }
    return c;
}

namespace {

// "4 records = 3 evaluated + 1 rejected" (+ the events after --as-of when there are any).
std::string counts_text(std::uint64_t read, std::uint64_t evaluated, std::uint64_t rejected, std::uint64_t after_as_of,
                        lang l) {
    std::string out = trf(l, "{0} rekaman = {2} dievaluasi + {3} ditolak", "{} {} = {} evaluated + {} rejected", read,
                          plural(read, "record", "records"), evaluated, rejected);
    if (after_as_of > 0)
        out += trf(l, " + {} setelah tanggal laporan (tidak dinilai)", " + {} after the report date (not judged)",
                   after_as_of);
    return out;
}

}  // namespace

std::string records_line(const audit_report& report, lang l) {
    const audit_result& r = report.result;
    return trf(l, "Dibaca {}.", "Read {}.",
               counts_text(report.read, r.evaluated, report.rejected_count, r.after_as_of, l));
}

}  // namespace report_support

std::string describe_date_order_breaks(const date_order_breaks& breaks, lang l) {
    if (breaks.count == 0) return {};
    const std::string listed = listed_id(breaks.id, breaks.source, breaks.line);
    const std::string id = listed.empty() ? listed : fmt::format(" ({})", listed);
    const bool one = breaks.count == 1;
    return trf(l,
               "{0} perubahan pejabat bertanggal lebih awal dari perubahan yang sudah dinilai pada jabatan lain, "
               "{7}di sini{4}: {5}, sesudah perubahan tanggal {6}. Perubahan seseorang pada dua jabatan (rangkap "
               "jabatan, jabatan yang kosong karena perpindahan) dinilai menurut urutan berkas, bukan urutan "
               "tanggal: jalankan lagi dengan --sort, atau urutkan rekaman menurut tanggal.",
               "{} {} of holders {} dated before a change already judged in another post, {}here{}: {}, after a "
               "change of {}. A person's changes in two posts (a double post, a post left empty by a move) were "
               "judged in file order, not in date order: run again with --sort, or sort the records by date.",
               breaks.count, one ? "change" : "changes", one ? "is" : "are", one ? "" : "the first ", id,
               breaks.on.iso(), breaks.after.iso(), one ? "" : "yang pertama ");
}

std::string date_order_warning(const date_order_breaks& breaks, lang l) {
    if (breaks.count == 0) return {};
    return fmt::format("{}:{}: {}", breaks.source, breaks.line, describe_date_order_breaks(breaks, l));
}

std::string describe_duplicates(const duplicate_records& dups, lang l) {
    if (dups.count == 0) return {};
    const std::string listed = listed_id(dups.id, dups.source, dups.line);
    const std::string id = listed.empty() ? listed : fmt::format(" ({})", listed);
    return trf(l,
               "{0} rekaman ganda tidak diterapkan lagi: masing-masing sama isinya dengan rekaman sebelumnya tentang "
               "jabatan atau wilayah yang sama (log gabungan dari ekspor yang bertumpang tindih); yang pertama di "
               "sini{2} mengulang {3}:{4}.",
               "{} duplicate {} not applied again: each says what the record before it about the same post or region "
               "said (logs merged from exports that overlap); the first here{} repeats {}:{}.",
               dups.count, dups.count == 1 ? "record was" : "records were", id, dups.first_source, dups.first_line);
}

std::string duplicates_warning(const duplicate_records& dups, lang l) {
    if (dups.count == 0) return {};
    return fmt::format("{}:{}: {}", dups.source, dups.line, describe_duplicates(dups, l));
}

namespace report_support {

bool shows_inputs(const audit_report& report) {
    return report.per_input.size() > 1 ||
           std::any_of(report.per_input.begin(), report.per_input.end(),
                       [](const input_summary& in) { return in.stopped(); });
}

std::string input_name(const input_summary& in) { return in.name == "-" ? std::string("<stdin>") : in.name; }

std::string input_line(const input_summary& in, lang l) {
    std::string out = input_name(in) + ": " + counts_text(in.read, in.evaluated, in.rejected, in.after_as_of, l);
    if (in.stopped())
        out += trf(l, "; berhenti di baris {} ({}), sesudahnya tidak ada yang dibaca",
                   "; stopped at line {} ({}), nothing after it was read", in.stopped_line, in.stopped_code);
    return out + ".";
}

std::string as_of_text(const audit_result& r, lang l) {
    return r.as_of_known ? r.as_of.iso() : std::string(tr(l, "tidak ada (tidak ada peristiwa yang dinilai)", "none (no event judged)"));
}

std::string selection_line(const audit_report& report, lang l) {
    if (report.regions.empty()) return {};
    std::string codes;
    for (const std::string& code : report.regions) {
        if (!codes.empty()) codes += ", ";
        codes += code;
        // A province code (two digits) takes in its kabupaten and kota.
        if (code.size() == 2) codes += tr(l, " beserta kabupaten/kotanya", " with its kabupaten and kota");
    }
    return trf(l, "Wilayah yang dilaporkan: {}", "Regions reported: {}", codes);
}

std::unordered_map<std::string_view, const region_state*> regions_by_code(const audit_result& r) {
    std::unordered_map<std::string_view, const region_state*> out;
    for (const region_state& s : r.regions) out.emplace(s.code, &s);
    return out;
}

}  // namespace report_support

namespace {

// The wording of a remedy, given piece by piece to `put`: what
// describe_remedy returns, and what the JSON writer writes into its buffer
// (escaping the names and titles) without making the string.
template <class Put>
void remedy_wording(const remedy& fix, const rule_set& rules, lang l, Put& put) {
    const auto via = [&] {
        if (fix.route.empty()) return;
        const auto chain = [&] {
            for (std::size_t k = 0; k < fix.route.size(); ++k) {
                if (k > 0) put(plain(" → "));
                put(std::string_view(rules.authorities.at(fix.route[k]).title));
            }
        };
        fill(put, l, {" (usulan melalui {})", " (proposal via {})"}, chain);
    };
    const auto recognised = [&] {
        if (!fix.reinstate) {
            return fill(put, l, {"pejabat terakhir yang diakui pusat", "the last official the centre recognised"});
        }
        name_pieces(*fix.reinstate, put);
        if (fix.reinstate_acting) fill(put, l, {" sebagai Plt/Plh", " as the acting official"});
    };
    const auto approved = [&](const wording<0>& otherwise) {
        return [&fix, &put, l, otherwise] {
            if (fix.approve) name_pieces(*fix.approve, put);
            else fill(put, l, otherwise);
        };
    };
    const auto authority = [&] { put(authority_title(fix.authority, rules)); };
    switch (fix.kind) {
    case remedy_kind::reinstate_or_approve:
        if (fix.never_installed) {
            if (fix.authority == no_index)
                return fill(put, l, {"lantik {} yang telah disetujui pusat", "install {}, whom the centre approved"},
                            recognised);
            return fill(put, l,
                        {"lantik {} yang telah disetujui pusat, atau peroleh persetujuan {} untuk {}{}",
                         "install {}, whom the centre approved, or obtain the approval of {} for {}{}"},
                        recognised, authority, approved({"perubahan ini", "this change"}), via);
        }
        if (fix.authority == no_index) return fill(put, l, {"kembalikan {}", "reinstate {}"}, recognised);
        if (fix.reinstate_acting && fix.approve && fix.reinstate->nip == fix.approve->nip) {
            // The acting official made definitive without approval may stay as the acting one.
            return fill(put, l,
                        {"pertahankan {} sebagai Plt/Plh, atau peroleh persetujuan {} untuk {}{}",
                         "keep {} as the acting official, or obtain the approval of {} for {}{}"},
                        [&] { name_pieces(*fix.reinstate, put); }, authority, approved({"perubahan ini", "this change"}),
                        via);
        }
        return fill(put, l,
                    {"kembalikan {}, atau peroleh persetujuan {} untuk {}{}",
                     "reinstate {}, or obtain the approval of {} for {}{}"},
                    recognised, authority, approved({"perubahan ini", "this change"}), via);
    case remedy_kind::reinstate_only:
        return fill(put, l,
                    {"kembalikan {}; tidak ada persetujuan yang dapat mengesahkan perubahan ini",
                     "reinstate {}; no approval can make this change lawful"},
                    recognised);
    case remedy_kind::install_approved:
        return fill(put, l, {"lantik {} yang telah disetujui pusat", "install {}, whom the centre approved"},
                    approved({"?", "?"}));
    case remedy_kind::leave_one_post:
        return fill(put, l, {"{} harus melepaskan salah satu jabatan", "{} must leave one of the posts"},
                    approved({"?", "?"}));
    case remedy_kind::fill_post:
        return fill(put, l,
                    {"tunjuk pelaksana tugas (Plt) dan usulkan pejabat definitif",
                     "appoint an acting official (Plt) and propose a definitive holder"});
    }
}

}  // namespace

std::string describe_remedy(const remedy& fix, const rule_set& rules, lang l) {
    std::string out;
    auto put = appending_to(out);
    remedy_wording(fix, rules, l, put);
    return out;
}

void write_text(std::ostream& os, const audit_report& report, const rule_set& rules, const text_options& options) {
    const lang l = options.language;
    const palette c = options.color ? palette::colored() : palette{};
    const audit_result& r = report.result;
    std::string out;
    out += fmt::format("{}patuh audit{} — {} {}\n", c.bold, c.reset, tr(l, "per tanggal", "as of"), as_of_text(r, l));
    out += records_line(report, l) + "\n";
    if (shows_inputs(report)) {
        out += fmt::format("{}\n", tr(l, "Per masukan:", "By input:"));
        for (const input_summary& in : report.per_input) out += fmt::format("   {}\n", shown(input_line(in, l)));
    }
    if (!report.regions.empty()) out += selection_line(report, l) + "\n";
    if (r.out_of_date_order.count > 0)
        out += fmt::format("{}{}{}: {}\n", c.yellow, trf(l, "Peringatan {}", "Warning {}", "W0601"), c.reset,
                           shown(date_order_warning(r.out_of_date_order, l)));
    if (r.duplicates.count > 0)
        out += fmt::format("{}{}{}: {}\n", c.yellow, trf(l, "Peringatan {}", "Warning {}", "W0602"), c.reset,
                           shown(duplicates_warning(r.duplicates, l)));
    const severity_counts sc = count(r.findings);
    std::string tally;
    for (int s = 4; s >= 0; --s) {
        if (sc.all[static_cast<std::size_t>(s)] == 0) continue;
        if (!tally.empty()) tally += ", ";
        tally += trf(l, "{} {} ({} terbuka)", "{} {} ({} open)", sc.all[static_cast<std::size_t>(s)],
                             describe_severity(static_cast<severity>(s), l), sc.open[static_cast<std::size_t>(s)]);
    }
    out += fmt::format("{}: {}.\n", tr(l, "Temuan", "Findings"), tally.empty() ? tr(l, "tidak ada", "none") : tally);

    // The rule set's texts go through shown() as the input's do: a string in
    // a rule file may hold control characters too. Those printed with every
    // finding are made once.
    std::vector<std::string> unit_titles;
    for (const auto& u : rules.units) unit_titles.push_back(shown(u.title));
    struct rule_lines {
        std::string head;     // the rule's id, in the finding's first line
        std::string message;  // the message's line
        std::string required; // the requirement's line, or nothing
        std::string footer;   // the rule's line: id, policy, citation
    };
    std::vector<rule_lines> rule_texts;
    rule_texts.reserve(rules.rules.size());
    for (const rule& ru : rules.rules) {
        rule_lines& t = rule_texts.emplace_back();
        t.head = shown(ru.id);
        t.message = fmt::format("      {}\n", shown(ru.message.in(l)));
        if (ru.kind == rule_kind::requirement || ru.kind == rule_kind::moratorium)
            t.required = fmt::format("      {}: {}\n", tr(l, "Syarat", "Required"),
                                     shown(describe_requirement(ru, rules, l)));
        t.footer = fmt::format("      {}: {} ({}) — {}\n", tr(l, "Aturan", "Rule"), shown(ru.id),
                               shown(rules.policies.at(ru.policy).title), shown(ru.citation));
    }

    // A region's heading, when it has something to show.
    const auto region_heading = [&](const region_state& reg, bool has_findings, std::string& into) {
        if (!has_findings && reg.stage < 0 && reg.cut.empty() && reg.warnings == 0) return;
        into += fmt::format("\n{}== {} ({}) — {}{}\n", c.bold, shown(reg.code), shown(level_title(reg.level, rules)),
                            shown(describe_stage(reg.stage, rules, l)), c.reset);
        into += trf(l, "   {0} temuan terbuka, {2} catatan terbuka, {4} teguran", "   {0} open {1}, {2} open {3}, {4} {5}",
                    reg.open_findings, plural(reg.open_findings, "finding", "findings"), reg.open_notices,
                    plural(reg.open_notices, "notice", "notices"), reg.warnings, plural(reg.warnings, "warning", "warnings"));
        if (reg.deadline) into += trf(l, " (tenggat {})", " (deadline {})", reg.deadline->iso());
        into += "\n";
        if (!reg.cut.empty())
            into += trf(l, "   {}Diputus sejak {}: {}{}\n", "   {}Cut off since {}: {}{}\n", c.red,
                        reg.cut_since ? reg.cut_since->iso() : "?", shown(services_text(reg.cut, rules)), c.reset);
        else if (reg.restored)
            into += trf(l, "   Akses dipulihkan pada {}\n", "   Access restored on {}\n", reg.restored->iso());
    };
    // Regions and findings come in the same order: the headings of the
    // regions up to a region's first finding are written before it, the
    // rest after the last finding.
    std::unordered_map<std::size_t, std::pair<std::size_t, std::size_t>> headings_before;  // finding → regions [from, to)
    std::size_t next = 0, from = 0, to = 0;
    for (; to < r.regions.size(); ++to) {
        if (next < r.findings.size() && r.findings.region(next) == r.regions[to].code) {
            headings_before.emplace(next, std::pair{from, to + 1});
            from = to + 1;
            while (next < r.findings.size() && r.findings.region(next) == r.regions[to].code) ++next;
        }
    }
    write_findings(os, out, r.findings, options.threads, [&](std::size_t i, const finding& f, std::string& into) {
        if (const auto headings = headings_before.find(i); headings != headings_before.end())
            for (std::size_t k = headings->second.first; k < headings->second.second; ++k)
                region_heading(r.regions[k], k + 1 == headings->second.second, into);
        const rule_lines& ru = rule_texts.at(f.rule);
        into += fmt::format("\n   {}{}{} {} — {}, {} ({} {})\n", c.for_severity(f.sev), describe_severity(f.sev, l),
                            c.reset, ru.head, shown(f.position), f.unit == no_index ? "?" : unit_titles.at(f.unit),
                            tr(l, "eselon", "rank"), shown(rank_title(f.rank, rules)));
        into += ru.message;
        if (f.closed)
            into += trf(l, "      Terbuka {0} s.d. {1} ({2} hari); ditutup oleh {4}: {5}\n",
                        "      Open {0} to {1} ({2} {3}); closed by {4}: {5}\n", f.opened.iso(), f.closed->iso(),
                        *f.closed - f.opened, plural(*f.closed - f.opened, "day", "days"), shown(f.closed_by),
                        close_label(*f.closed_because, l));
        else
            into += trf(l, "      Terbuka sejak {} ({} hari, masih terbuka)\n", "      Open since {} ({} {}, still open)\n",
                        f.opened.iso(), r.as_of - f.opened, plural(r.as_of - f.opened, "day", "days"));
        into += trf(l, "      Peristiwa {} ({}), {}:{}\n", "      Event {} ({}), {}:{}\n", shown(f.event_id),
                    describe_action(f.kind, l), shown(f.source), f.line);
        into += fmt::format("      {}: {}   {}: {}\n", tr(l, "De facto", "De facto"),
                            f.de_facto ? shown(holder_name(*f.de_facto, f.de_facto_acting, l))
                                       : std::string(tr(l, "kosong", "vacant")),
                            tr(l, "De jure", "De jure"),
                            f.de_jure ? shown(holder_name(*f.de_jure, f.de_jure_acting, l))
                                      : std::string(tr(l, "tidak diketahui", "unknown")));
        into += ru.required;
        into += fmt::format("      {}: {}\n", tr(l, "Pemulihan", "Remedy"), shown(describe_remedy(f.fix, rules, l)));
        into += ru.footer;
    });
    for (std::size_t k = from; k < r.regions.size(); ++k) region_heading(r.regions[k], false, out);
    if (!report.rejected.empty()) {
        out += fmt::format("\n{}{}{}\n", c.bold, tr(l, "Rekaman ditolak:", "Rejected records:"), c.reset);
        rejection x;
        for (std::size_t i = 0; i < report.rejected.size(); ++i) {
            report.rejected.read(i, x);
            out += fmt::format("   {}:{}: {} {}", shown(x.source), x.line, x.code, shown(x.reason.in(l)));
            // The id its event would have had, for `patuh explain`.
            if (const std::string id = x.listed_id(); !id.empty())
                out += trf(l, " — peristiwa {}", " — event {}", shown(id));
            out += '\n';
            flush_when_full(os, out);
        }
    }
    os << out;
}

namespace {

json date_json(const std::optional<date>& d) {
    if (!d) return nullptr;
    return d->iso();
}

// A growing buffer of characters whose appends are inline (std::string's
// are calls into the library): where the JSON writer puts a finding.
class char_buffer {
public:
    char_buffer() : data_(std::make_unique<char[]>(4096)), at_(data_.get()), end_(at_ + 4096) {}
    // Room for n more characters, at the returned position; `advance` then
    // says how many were written.
    char* room(std::size_t n) {
        if (static_cast<std::size_t>(end_ - at_) < n) grow(n);
        return at_;
    }
    void advance(char* to) { at_ = to; }
    void put(char c) { *room(1) = c, ++at_; }
    void put(std::string_view s) {
        std::memcpy(room(s.size()), s.data(), s.size());
        at_ += s.size();
    }
    std::string_view view() const { return {data_.get(), static_cast<std::size_t>(at_ - data_.get())}; }
    void clear() { at_ = data_.get(); }

private:
    void grow(std::size_t n) {
        const auto used = static_cast<std::size_t>(at_ - data_.get());
        const std::size_t size = std::max(2 * static_cast<std::size_t>(end_ - data_.get()), used + n);
        auto bigger = std::make_unique<char[]>(size);
        std::memcpy(bigger.get(), data_.get(), used);
        data_ = std::move(bigger);
        at_ = data_.get() + used;
        end_ = data_.get() + size;
    }
    std::unique_ptr<char[]> data_;
    char* at_;
    char* end_;
};

// Whether eight bytes of text hold a control character (below 0x20), one of
// `specials` or, with `non_ascii`, a byte at or above 0x80: text is scanned
// a word at a time up to the first byte that needs a closer look.
template <char... specials>
bool word_holds(std::uint64_t w, bool non_ascii) {
    constexpr std::uint64_t ones = 0x0101010101010101, highs = 0x8080808080808080;
    const auto has_zero = [](std::uint64_t v) { return (v - ones) & ~v & highs; };
    const std::uint64_t outside = ((w - 0x20 * ones) & ~w) | (non_ascii ? w : 0);
    return ((outside & highs) | ... | has_zero(w ^ (static_cast<std::uint64_t>(specials) * ones))) != 0;
}

std::string dumped(const json& value, int indent) {
    return value.dump(indent, ' ', false, json::error_handler_t::replace);
}

// A piece of JSON text made once and copied many times: up to `short_size`
// characters with one copy of that fixed size.
class text_piece {
public:
    static constexpr std::size_t short_size = 64;
    text_piece() = default;
    explicit text_piece(std::string_view s) : size_(s.size()) {
        if (s.size() <= short_size) std::memcpy(short_.data(), s.data(), s.size());
        else long_ = s;
    }
    // The room write_to needs.
    std::size_t room() const { return std::max(size_, short_size); }
    std::string_view view() const { return size_ <= short_size ? std::string_view(short_.data(), size_) : long_; }
    [[gnu::always_inline]] char* write_to(char* p) const {
        if (size_ <= short_size) std::memcpy(p, short_.data(), short_size);
        else std::memcpy(p, long_.data(), size_);
        return p + size_;
    }

private:
    std::array<char, short_size> short_{};
    std::string long_;
    std::size_t size_ = 0;
};

// Writes JSON values the way nlohmann::json prints them. Valid UTF-8 strings
// are escaped as nlohmann::json escapes them (quote, backslash and control
// characters only), invalid ones go through nlohmann::json, so escapes and
// replaced bytes come out as in the rest of the report.
class json_writer {
public:
    explicit json_writer(char_buffer& out) : out_(out) {}

    // Inlined, as is the copy: a finding is some thirty pieces, most of them
    // a few bytes.
    [[gnu::always_inline]] json_writer& piece(const text_piece& p) {
        out_.advance(p.write_to(out_.room(p.room())));
        return *this;
    }
    void text(std::string_view s) {
        out_.put('"');
        escaped(s);
        out_.put('"');
    }
    // A string given in pieces: `pieces(put)` calls `put` with each in order
    // (a std::string_view, escaped, or a plain_text). No piece may end inside
    // a UTF-8 sequence that the next one completes.
    template <class Pieces>
    void text_in_pieces(const Pieces& pieces) {
        out_.put('"');
        auto put = overloaded{[this](std::string_view s) { escaped(s); }, [this](plain_text s) { out_.put(s.text); }};
        pieces(put);
        out_.put('"');
    }
    void null() { out_.put("null"); }
    void boolean(bool b) { out_.put(b ? std::string_view("true") : std::string_view("false")); }
    template <class Int>
    void number(Int n) {
        char* p = out_.room(24);  // any 64-bit integer
        out_.advance(std::to_chars(p, p + 24, n).ptr);
    }
    void day(date d) {
        char* p = out_.room(iso_room + 2);
        *p++ = '"';
        p = write_iso(d, p);
        *p++ = '"';
        out_.advance(p);
    }

private:
    // `s` escaped, without the quotes.
    void escaped(std::string_view s) {
        const std::size_t plain = plain_prefix(s);
        if (plain < s.size() && !simdjson::validate_utf8(s.data() + plain, s.size() - plain)) {
            const std::string quoted = dumped(json(s), -1);
            out_.put(std::string_view(quoted).substr(1, quoted.size() - 2));
            return;
        }
        // At most six characters for each one escaped.
        char* p = out_.room(plain + 6 * (s.size() - plain));
        std::memcpy(p, s.data(), plain);
        p += plain;
        for (std::size_t i = plain; i < s.size(); ++i) {
            const auto u = static_cast<unsigned char>(s[i]);
            if (u >= 0x20 && u != '"' && u != '\\') *p++ = s[i];
            else p = escape(u, p);
        }
        out_.advance(p);
    }

    // How many leading bytes of `s` are written as they are: printable
    // ASCII but the quote and the backslash. Eight bytes at a time: a word
    // passes when none of its bytes is below 0x20, at or above 0x80, '"' or
    // '\\'.
    static std::size_t plain_prefix(std::string_view s) {
        const auto plain_word = [&](std::size_t at) {
            std::uint64_t w;
            std::memcpy(&w, s.data() + at, 8);
            return !word_holds<'"', '\\'>(w, true);
        };
        std::size_t i = 0;
        if (s.size() >= 8) {
            while (i + 8 <= s.size() && plain_word(i)) i += 8;
            // Every whole word passed: the last eight bytes (overlapping the
            // last word) decide the rest.
            if (i + 8 > s.size() && plain_word(s.size() - 8)) return s.size();
        }
        while (i < s.size() && is_plain[static_cast<unsigned char>(s[i])]) ++i;
        return i;
    }

    // As nlohmann::json escapes a character of a valid UTF-8 string; returns
    // the end of what it wrote.
    static char* escape(unsigned char u, char* p) {
        const auto two = [&](char c) {
            p[0] = '\\';
            p[1] = c;
            return p + 2;
        };
        switch (u) {
        case '"': return two('"');
        case '\\': return two('\\');
        case '\b': return two('b');
        case '\t': return two('t');
        case '\n': return two('n');
        case '\f': return two('f');
        case '\r': return two('r');
        default: {
            static constexpr char hex[] = "0123456789abcdef";
            const char code[] = {'\\', 'u', '0', '0', hex[u >> 4], hex[u & 0xf]};
            std::memcpy(p, code, sizeof code);
            return p + sizeof code;
        }
        }
    }
    // Bytes written as they are: printable ASCII but the quote and the backslash.
    static constexpr std::array<bool, 256> is_plain = [] {
        std::array<bool, 256> plain{};
        for (int c = 0x20; c < 0x80; ++c) plain[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
        return plain;
    }();
    char_buffer& out_;
};

// `s` as a JSON string.
std::string json_string(std::string_view s) {
    char_buffer buffer;
    json_writer(buffer).text(s);
    return std::string(buffer.view());
}

// A member of a JSON object whose shape is known: its key, and its level (1:
// a member of the outermost object, 2: of an object that is the value of one
// of those, ...).
struct member_spec {
    std::string_view key;
    int level = 1;
};

// The text around the values of a JSON object of a known shape (members in
// the order given, objects never empty), for one indent (< 0: compact) and
// depth, as nlohmann::json prints it: before each member's value
// (",\n      \"citation\": ", '{' in place of ',' when the member opens its
// object), and what closes an object or array. Made once per report, so that
// writing a key is one copy.
class json_layout {
public:
    json_layout(std::span<const member_spec> members, int indent, int depth) : indent_(indent), depth_(depth) {
        int deepest = 0;
        for (std::size_t m = 0; m < members.size(); ++m) {
            const int level = members[m].level;
            const bool opens = m == 0 || members[m - 1].level < level;
            keys_.emplace_back(fmt::format("{}{}{}:{}", opens ? '{' : ',', newline(level),
                                           dumped(json(members[m].key), -1), indent < 0 ? "" : " "));
            levels_.push_back(level);
            deepest = std::max(deepest, level);
        }
        // By level, from 1 to one below the deepest member (an array's items).
        const auto levels = static_cast<std::size_t>(deepest) + 2;
        close_object_.resize(levels), open_array_.resize(levels), next_item_.resize(levels), close_array_.resize(levels);
        for (std::size_t level = 1; level < levels; ++level) {
            const int at = static_cast<int>(level);
            close_object_[level] = text_piece(newline(at - 1) + "}");
            open_array_[level] = text_piece(std::string("[") + newline(at));
            next_item_[level] = text_piece(std::string(",") + newline(at));
            close_array_[level] = text_piece(newline(at - 1) + "]");
        }
    }
    // The text before the value of member m.
    const text_piece& key(std::size_t m) const { return keys_[m]; }
    // What closes the object of which m is a member.
    const text_piece& close_object_of(std::size_t m) const { return close_object_[levels_[m]]; }
    // What opens an array, goes between its items and closes it, when the
    // array is the value of member m.
    const text_piece& open_array_in(std::size_t m) const { return open_array_[levels_[m] + 1]; }
    const text_piece& next_item_in(std::size_t m) const { return next_item_[levels_[m] + 1]; }
    const text_piece& close_array_in(std::size_t m) const { return close_array_[levels_[m] + 1]; }

private:
    // A line break and the margin of what is at `level` (none when compact).
    std::string newline(int level) const {
        if (indent_ < 0) return {};
        return std::string("\n").append(static_cast<std::size_t>(indent_ * (depth_ + level)), ' ');
    }
    int indent_;
    int depth_;
    std::vector<text_piece> keys_;
    std::vector<int> levels_;
    std::vector<text_piece> close_object_, open_array_, next_item_, close_array_;  // by level of what is inside
};

// The members of a finding in the JSON report, in the order written
// (nlohmann::json's: by key).
enum class finding_member : std::size_t {
    action, citation, closed, closed_because, closed_by, days, event_id, kind, level, line, message, opened,
    person, person_acting, person_name, person_nip, policy, position, rank, recognised, recognised_acting,
    recognised_name, recognised_nip, region, remedy, approve, approve_name, approve_nip, authority, never_installed,
    reinstate, reinstate_acting, reinstate_name, reinstate_nip, route, remedy_text, required_authority, required_id,
    required_or_higher, required_title, rule_id, severity, source, unit,
};
constexpr member_spec finding_members[] = {
    {"action"}, {"citation"}, {"closed"}, {"closed_because"}, {"closed_by"}, {"days"}, {"event_id"}, {"kind"},
    {"level"}, {"line"}, {"message"}, {"opened"}, {"person"}, {"acting", 2}, {"name", 2}, {"nip", 2}, {"policy"},
    {"position"}, {"rank"}, {"recognised"}, {"acting", 2}, {"name", 2}, {"nip", 2}, {"region"}, {"remedy"},
    {"approve", 2}, {"name", 3}, {"nip", 3}, {"authority", 2}, {"never_installed", 2}, {"reinstate", 2},
    {"acting", 3}, {"name", 3}, {"nip", 3}, {"route", 2}, {"text", 2}, {"required_authority"}, {"id", 2},
    {"or_higher", 2}, {"title", 2}, {"rule_id"}, {"severity"}, {"source"}, {"unit"},
};
static_assert(std::size(finding_members) == static_cast<std::size_t>(finding_member::unit) + 1);

// Writes the findings of one report as JSON objects. What does not change
// from one finding to the next is escaped and laid out once, when it is made,
// and copied after: the keys with their margins, and with its key each member
// whose value comes from a short list (an action, a severity, an id in the
// rule set, a rule's texts).
class finding_json {
public:
    finding_json(const audit_result& r, const rule_set& rules, lang l, int indent, int depth)
        : result_(r), rules_(rules), lang_(l), layout_(finding_members, indent, depth) {
        using m = finding_member;
        const auto names = [&](m member, auto last) {
            std::vector<std::string> values;
            for (std::size_t k = 0; k <= static_cast<std::size_t>(last); ++k)
                values.push_back(json_string(to_string(static_cast<decltype(last)>(k))));
            return members(member, values);
        };
        const auto ids = [&](m member, const auto& table) {
            std::vector<std::string> values;
            for (const auto& item : table) values.push_back(json_string(item.id));
            return members(member, values);
        };
        actions_ = names(m::action, event_kind::election);
        close_causes_ = names(m::closed_because, close_cause::exempt);
        severities_ = names(m::severity, severity::critical);
        kinds_ = members(m::kind, {json_string("violation"), json_string("notice")});
        never_installed_ = members(m::never_installed, {"false", "true"});
        levels_ = ids(m::level, rules.levels);
        ranks_ = ids(m::rank, rules.ranks);
        units_ = ids(m::unit, rules.units);
        authorities_ = ids(m::authority, rules.authorities);
        for (const authority& a : rules.authorities) route_items_.emplace_back(json_string(a.id));
        for (const rule& ru : rules.rules) {
            rule_members& t = rules_members_.emplace_back();
            t.citation = member(m::citation, json_string(ru.citation));
            t.message = member(m::message, json_string(ru.message.in(l)));
            t.policy = member(m::policy, json_string(rules.policies.at(ru.policy).id));
            char_buffer buffer;
            json_writer w(buffer);
            close_object_of(w, m::remedy_text);
            key(w, m::required_authority);
            if ((ru.kind == rule_kind::requirement || ru.kind == rule_kind::moratorium) && ru.need == demand::approval) {
                const authority& a = rules.authorities.at(ru.authority);
                key(w, m::required_id).text(a.id);
                key(w, m::required_or_higher).boolean(ru.or_higher);
                key(w, m::required_title).text(a.title);
                close_object_of(w, m::required_title);
            } else {
                w.null();
            }
            key(w, m::rule_id).text(ru.id);
            t.after_remedy = text_piece(buffer.view());
        }
    }

    // What a writer of findings keeps from one finding to the next, one for
    // each thread that writes: the buffer a finding is made in, and the last
    // finding's source with its JSON string. The findings of one input have
    // the same source and come one after another, so the string is made once
    // for each run of them.
    struct scratch {
        char_buffer buffer;
        std::string source;
        text_piece source_json{json_string("")};
    };

    // Appends finding f; safe on several threads at once, each with its own
    // `scratch`.
    void append(std::string& out, const finding& f, scratch& scratch) const {
        using m = finding_member;
        scratch.buffer.clear();
        if (f.source != scratch.source) {
            scratch.source = f.source;
            scratch.source_json = text_piece(json_string(f.source));
        }
        json_writer w(scratch.buffer);
        const rule_members& ru = rules_members_.at(f.rule);
        w.piece(actions_[static_cast<std::size_t>(f.kind)]);
        w.piece(ru.citation);
        key(w, m::closed);
        if (f.closed) w.day(*f.closed);
        else w.null();
        w.piece(f.closed_because ? close_causes_[static_cast<std::size_t>(*f.closed_because)] : close_causes_.null);
        key(w, m::closed_by);
        if (f.closed) w.text(f.closed_by);
        else w.null();
        key(w, m::days).number((f.closed ? *f.closed : result_.as_of) - f.opened);
        key(w, m::event_id).text(f.event_id);
        w.piece(kinds_[f.is_notice()]);
        w.piece(levels_.of(f.level));
        key(w, m::line).number(f.line);
        w.piece(ru.message);
        key(w, m::opened).day(f.opened);
        holder(key(w, m::person), f.de_facto, f.de_facto_acting, m::person_acting);
        w.piece(ru.policy);
        key(w, m::position).text(f.position);
        w.piece(ranks_.of(f.rank));
        holder(key(w, m::recognised), f.de_jure, f.de_jure_acting, m::recognised_acting);
        key(w, m::region).text(f.region);
        key(w, m::remedy);
        someone(key(w, m::approve), f.fix.approve, m::approve_name, m::approve_nip);
        w.piece(authorities_.of(f.fix.authority));
        w.piece(never_installed_[f.fix.never_installed]);
        holder(key(w, m::reinstate), f.fix.reinstate, f.fix.reinstate_acting, m::reinstate_acting);
        key(w, m::route);
        if (f.fix.route.empty()) {
            w.piece(empty_array_);
        } else {
            w.piece(layout_.open_array_in(index(m::route)));
            for (std::size_t k = 0; k < f.fix.route.size(); ++k) {
                if (k > 0) w.piece(layout_.next_item_in(index(m::route)));
                w.piece(route_items_.at(f.fix.route[k]));
            }
            w.piece(layout_.close_array_in(index(m::route)));
        }
        key(w, m::remedy_text).text_in_pieces([&](auto& put) { remedy_wording(f.fix, rules_, lang_, put); });
        w.piece(ru.after_remedy);
        w.piece(severities_[static_cast<std::size_t>(f.sev)]);
        key(w, m::source).piece(scratch.source_json);
        w.piece(units_.of(f.unit));
        close_object_of(w, m::unit);
        out.append(scratch.buffer.view());
    }

private:
    // A member's pieces, key and value, for each of the values it may have.
    struct member_values {
        std::vector<text_piece> values;  // by value (of an enumeration, an index in the rule set)
        text_piece null;
        const text_piece& operator[](std::size_t v) const { return values.at(v); }
        const text_piece& of(index_t i) const { return i == no_index ? null : values.at(i); }
    };
    struct rule_members {
        text_piece citation, message, policy;
        // From the end of the remedy to the rule id: the required authority
        // (an object or null) and the rule id.
        text_piece after_remedy;
    };

    static std::size_t index(finding_member m) { return static_cast<std::size_t>(m); }
    [[gnu::always_inline]] json_writer& key(json_writer& w, finding_member m) const {
        return w.piece(layout_.key(index(m)));
    }
    void close_object_of(json_writer& w, finding_member m) const { w.piece(layout_.close_object_of(index(m))); }
    // Member m with `value` (JSON text) as one piece.
    text_piece member(finding_member m, std::string_view value) const {
        return text_piece(std::string(layout_.key(index(m)).view()) + std::string(value));
    }
    member_values members(finding_member m, const std::vector<std::string>& values) const {
        member_values out;
        for (const std::string& v : values) out.values.push_back(member(m, v));
        out.null = member(m, "null");
        return out;
    }
    // A person, with members `name` and `nip`, or null.
    void someone(json_writer& w, const std::optional<person>& p, finding_member name, finding_member nip) const {
        if (!p) return w.null();
        key(w, name).text(p->name);
        key(w, nip).text(p->nip);
        close_object_of(w, nip);
    }
    // A holder: whether acting, then the name and NIP (the two members after `acting_member`).
    void holder(json_writer& w, const std::optional<person>& p, bool acting, finding_member acting_member) const {
        if (!p) return w.null();
        key(w, acting_member).boolean(acting);
        const auto after = [&](std::size_t k) { return static_cast<finding_member>(index(acting_member) + k); };
        key(w, after(1)).text(p->name);
        key(w, after(2)).text(p->nip);
        close_object_of(w, after(2));
    }

    const audit_result& result_;
    const rule_set& rules_;
    lang lang_;
    json_layout layout_;
    member_values actions_, close_causes_, severities_, kinds_, never_installed_;
    member_values levels_, ranks_, units_, authorities_;
    std::vector<text_piece> route_items_;  // authority ids, by index
    text_piece empty_array_{"[]"};
    std::vector<rule_members> rules_members_;  // by index
};

}  // namespace

// Makes the report's fixed pieces for this one finding; the JSON writers make
// them once for all.
void append_finding_json(std::string& out, const finding& f, const audit_result& r, const rule_set& rules, lang l,
                         int indent, int depth) {
    finding_json::scratch scratch;
    finding_json(r, rules, l, indent, depth).append(out, f, scratch);
}

struct finding_json_writer::impl {
    finding_json format;
    finding_json::scratch scratch;
};

finding_json_writer::finding_json_writer(const audit_result& r, const rule_set& rules, lang l, int indent, int depth)
    : impl_(std::make_unique<impl>(impl{finding_json(r, rules, l, indent, depth), {}})) {}

finding_json_writer::~finding_json_writer() = default;

void finding_json_writer::append(std::string& out, const finding& f) { impl_->format.append(out, f, impl_->scratch); }

// The summary's changes_out_of_date_order: null when the changes of
// holders came in date order.
json date_order_json(const date_order_breaks& breaks) {
    if (breaks.count == 0) return nullptr;
    return {{"count", breaks.count},
            {"source", breaks.source},
            {"line", breaks.line},
            {"id", breaks.id.empty() ? json(nullptr) : json(breaks.id)},
            {"date", breaks.on.iso()},
            {"after", breaks.after.iso()}};
}

// The summary's duplicate_records: null when there was none.
json duplicates_json(const duplicate_records& dups) {
    if (dups.count == 0) return nullptr;
    return {{"count", dups.count},
            {"source", dups.source},
            {"line", dups.line},
            {"id", dups.id.empty() ? json(nullptr) : json(dups.id)},
            {"repeats", {{"source", dups.first_source}, {"line", dups.first_line}}}};
}

json summary_json(const audit_report& report) {
    const audit_result& r = report.result;
    const severity_counts sc = count(r.findings);
    json by_severity = json::object();
    json open_by_severity = json::object();
    for (std::size_t s = 0; s < 5; ++s) {
        by_severity[std::string(to_string(static_cast<severity>(s)))] = sc.all[s];
        open_by_severity[std::string(to_string(static_cast<severity>(s)))] = sc.open[s];
    }
    json inputs = json::array();
    for (const input_summary& in : report.per_input) {
        json stopped = nullptr;
        if (in.stopped()) stopped = {{"line", in.stopped_line}, {"code", in.stopped_code}};
        inputs.push_back({{"name", in.name},
                          {"events_read", in.read},
                          {"events_evaluated", in.evaluated},
                          {"events_rejected", in.rejected},
                          {"events_after_as_of", in.after_as_of},
                          {"stopped", std::move(stopped)}});
    }
    return {{"events_read", report.read},
            {"inputs", std::move(inputs)},
            {"events_evaluated", r.evaluated},
            {"events_rejected", report.rejected_count},
            {"events_after_as_of", r.after_as_of},
            {"changes_out_of_date_order", date_order_json(r.out_of_date_order)},
            {"duplicate_records", duplicates_json(r.duplicates)},
            {"findings", r.findings.size()},
            {"findings_by_severity", std::move(by_severity)},
            {"open_by_severity", std::move(open_by_severity)},
            {"regions_at_risk",
             std::count_if(r.regions.begin(), r.regions.end(), [](const region_state& s) { return s.stage >= 0; })}};
}

namespace {

// The findings and rejected records are streamed into the place of these
// values in the document.
constexpr std::string_view findings_placeholder = "\x01" "findings";
constexpr std::string_view rejected_placeholder = "\x01" "rejected";

json regions_json(const audit_result& r, const rule_set& rules, lang l) {
    json regions = json::array();
    for (const region_state& reg : r.regions) {
        json cut = json::array();
        for (const index_t s : reg.cut) cut.push_back(rules.services.at(s).id);
        regions.push_back({
            {"code", reg.code},
            {"level", reg.level == no_index ? json(nullptr) : json(rules.levels.at(reg.level).id)},
            {"risk",
             {{"stage", reg.stage < 0 ? json(nullptr) : json(rules.ladder.at(static_cast<std::size_t>(reg.stage)).id)},
              {"rank", reg.stage + 1},
              {"of", rules.ladder.size()},
              {"label", describe_stage(reg.stage, rules, l)}}},
            {"open_findings", reg.open_findings},
            {"open_notices", reg.open_notices},
            {"worst_open_severity", reg.open_findings > 0 ? json(to_string(reg.worst)) : json(nullptr)},
            {"longest_open_days", reg.longest_open_days},
            {"warnings", reg.warnings},
            {"last_warning", date_json(reg.last_warning)},
            {"deadline", date_json(reg.deadline)},
            {"cut_off", !reg.cut.empty()},
            {"services_cut", std::move(cut)},
            {"cut_since", date_json(reg.cut_since)},
            {"cutoffs", reg.cutoffs},
            {"restored", date_json(reg.restored)},
        });
    }
    return regions;
}

// What the JSON report and the JSON Lines report's last line say about the
// run: schema, report date, inputs, the regions reported when not all, and
// the summary.
json head_json(const audit_report& report) {
    json head = {
        {"schema", report_schema_version},
        {"as_of", report.result.as_of_known ? json(report.result.as_of.iso()) : json(nullptr)},
        {"inputs", report.inputs},
        {"summary", summary_json(report)},
    };
    if (!report.regions.empty()) head["regions_reported"] = report.regions;
    return head;
}

// The members of a rejected record in the JSON report's `rejected`.
enum class rejection_member : std::size_t { code, field, id, line, reason, source };
constexpr member_spec rejection_members[] = {{"code"}, {"field"}, {"id"}, {"line"}, {"reason"}, {"source"}};
static_assert(std::size(rejection_members) == static_cast<std::size_t>(rejection_member::source) + 1);

// A rejected record as in the JSON report's `rejected`, laid out by `layout`
// (of rejection_members).
void append_rejection_json(std::string& out, const rejection& x, lang l, const json_layout& layout) {
    char_buffer buffer;
    json_writer w(buffer);
    const auto key = [&](rejection_member m) -> json_writer& { return w.piece(layout.key(static_cast<std::size_t>(m))); };
    key(rejection_member::code).text(x.code);
    key(rejection_member::field);
    if (x.field.empty()) w.null();
    else w.text(x.field);
    key(rejection_member::id);
    if (x.id.empty()) w.null();
    else w.text(x.id);
    key(rejection_member::line).number(x.line);
    key(rejection_member::reason).text(x.reason.in(l));
    key(rejection_member::source).text(x.source);
    w.piece(layout.close_object_of(static_cast<std::size_t>(rejection_member::source)));
    out.append(buffer.view());
}

}  // namespace

// The document is written as nlohmann::json would print it with an indent of
// two, but its findings are written one at a time instead of being held in it.
void write_json(std::ostream& os, const audit_report& report, const rule_set& rules, lang l, unsigned threads) {
    const audit_result& r = report.result;
    json shell = head_json(report);
    shell["findings"] = findings_placeholder;
    shell["regions"] = regions_json(r, rules, l);
    shell["rejected"] = rejected_placeholder;
    const std::string text = dumped(shell, 2);
    // Writes the document up to the value of `name`, which is `placeholder`.
    std::size_t from = 0;
    const auto copy_until = [&](std::string_view name, std::string_view placeholder) {
        const std::string key = fmt::format("\n  \"{}\": ", name), value = dumped(json(placeholder), -1);
        const std::size_t at = text.find(key + value, from) + key.size();
        os.write(text.data() + from, static_cast<std::streamsize>(at - from));
        from = at + value.size();
    };
    copy_until("findings", findings_placeholder);
    std::string out = "[";
    const finding_json finding_writer(r, rules, l, 2, 2);
    write_findings(os, out, r.findings, threads, [&] {
        // This thread's scratch, held by a pointer: std::function copies what it holds.
        auto scratch = std::make_shared<finding_json::scratch>();
        return [&, scratch](std::size_t i, const finding& f, std::string& into) {
            into += i == 0 ? "\n    " : ",\n    ";
            finding_writer.append(into, f, *scratch);
        };
    });
    os << (r.findings.empty() ? "]" : "\n  ]");
    copy_until("rejected", rejected_placeholder);
    std::string rows = "[";
    const json_layout rejection_layout(rejection_members, 2, 2);
    rejection x;
    for (std::size_t i = 0; i < report.rejected.size(); ++i) {
        rows += i == 0 ? "\n    " : ",\n    ";
        report.rejected.read(i, x);
        append_rejection_json(rows, x, l, rejection_layout);
        flush_when_full(os, rows);
    }
    os << rows << (report.rejected.empty() ? "]" : "\n  ]");
    os.write(text.data() + from, static_cast<std::streamsize>(text.size() - from));
    os << '\n';
}

json render_json(const audit_report& report, const rule_set& rules, lang l) {
    std::ostringstream text;
    write_json(text, report, rules, l);
    return json::parse(text.str());
}

void write_jsonl(std::ostream& os, const audit_report& report, const rule_set& rules, lang l, unsigned threads) {
    const audit_result& r = report.result;
    std::string out;
    const finding_json finding_writer(r, rules, l, -1, 0);
    write_findings(os, out, r.findings, threads, [&] {
        auto scratch = std::make_shared<finding_json::scratch>();  // this thread's, as in write_json
        return [&, scratch](std::size_t, const finding& f, std::string& into) {
            finding_writer.append(into, f, *scratch);
            into += '\n';
        };
    });
    os << dumped(head_json(report), -1) << '\n';
}

std::string render_text(const audit_report& report, const rule_set& rules, const text_options& options) {
    return written([&](std::ostream& os) { write_text(os, report, rules, options); });
}

std::string render_jsonl(const audit_report& report, const rule_set& rules, lang l) {
    return written([&](std::ostream& os) { write_jsonl(os, report, rules, l); });
}

std::string describe_window(const region_window& w, lang l) {
    if (w.caretaker)
        return tr(l, "dalam masa penjabat (Pj) atau pelaksana tugas kepala daerah",
                  "while a caretaker (Pj) or acting regional head leads the region");
    const auto anchor_text = [l](anchor a) -> std::string {
        switch (a) {
        case anchor::inauguration: return tr(l, "pelantikan kepala daerah", "the inauguration of the regional head");
        case anchor::candidates: return tr(l, "penetapan pasangan calon", "the determination of the candidates");
        case anchor::term_end: return tr(l, "akhir masa jabatan", "the end of the term");
        }
        return "?";
    };
    const std::string amount = w.months ? trf(l, "{} bulan", "{} {}", w.amount, plural(w.amount, "month", "months"))
                                        : trf(l, "{} hari", "{} {}", w.amount, plural(w.amount, "day", "days"));
    std::string out = w.before ? trf(l, "dalam {} sebelum {}", "within {} before {}", amount, anchor_text(w.from))
                               : trf(l, "dalam {} sesudah {}", "within {} after {}", amount, anchor_text(w.from));
    if (w.until) out += trf(l, " sampai {}", " until {}", anchor_text(*w.until));
    return out;
}

std::string markup_escape(std::string_view s) {
    // What each byte becomes; an empty entry: the byte itself.
    static constexpr auto replacement = [] {
        std::array<std::string_view, 256> r{};
        for (unsigned c = 0; c < 0x20; ++c) r[c] = " ";
        r['\t'] = {};
        r['\n'] = "&#10;";
        r['&'] = "&amp;";
        r['<'] = "&lt;";
        r['>'] = "&gt;";
        r['"'] = "&quot;";
        return r;
    }();
    // The bytes before the first one to replace.
    std::size_t first = 0;
    for (; first + 8 <= s.size(); first += 8) {
        std::uint64_t w;
        std::memcpy(&w, s.data() + first, 8);
        if (word_holds<'&', '<', '>', '"'>(w, false)) break;
    }
    while (first < s.size() && replacement[static_cast<unsigned char>(s[first])].empty()) ++first;
    if (first == s.size()) return std::string(s);
    std::string out;
    out.reserve(s.size() + 8);
    std::size_t plain = 0;  // start of the bytes not yet copied
    for (std::size_t i = first; i < s.size(); ++i) {
        const std::string_view r = replacement[static_cast<unsigned char>(s[i])];
        if (r.empty()) continue;
        out.append(s.data() + plain, i - plain).append(r);
        plain = i + 1;
    }
    return out.append(s.data() + plain, s.size() - plain);
}

}  // namespace patuh
