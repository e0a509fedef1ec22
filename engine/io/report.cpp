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
#include <sstream>

namespace patuh {

namespace report_support {

std::string name_of(const person& p) { return fmt::format("{} (NIP {})", p.name, p.nip); }

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

std::string chain_text(const std::vector<index_t>& route, const rule_set& rules) {
    std::string out;
    for (const index_t a : route) {
        if (!out.empty()) out += " → ";
        out += rules.authorities.at(a).title;
    }
    return out;
}

std::string authority_title(index_t a, const rule_set& rules) {
    return a == no_index ? std::string() : rules.authorities.at(a).title;
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
    std::string out = authority_title(r.authority, rules);
    if (r.or_higher) out += tr(l, " atau yang lebih tinggi", " or higher");
    if (r.timing == ast::timing_kind::within_days)
        out += trf(l, ", paling lambat {} hari setelah TMT", ", within {} days of the effective date",
                           r.days);
    else
        out += tr(l, ", paling lambat pada TMT", ", on or before the effective date");
    return out;
}

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

std::string records_line(const audit_report& report, lang l) {
    const audit_result& r = report.result;
    std::string out = trf(l, "Dibaca {0} rekaman = {2} dievaluasi + {3} ditolak", "Read {} {} = {} evaluated + {} rejected",
                          report.read, plural(report.read, "record", "records"), r.evaluated, report.rejected_count);
    if (r.after_as_of > 0)
        out += trf(l, " + {} setelah tanggal laporan (tidak dinilai)", " + {} after the report date (not judged)",
                   r.after_as_of);
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

struct palette {
    const char* bold = "";
    const char* dim = "";
    const char* red = "";
    const char* yellow = "";
    const char* reset = "";
    const char* for_severity(severity s) const { return s >= severity::high ? red : s >= severity::low ? yellow : dim; }
};

}  // namespace

std::string describe_remedy(const remedy& fix, const rule_set& rules, lang l) {
    const auto via = [&] {
        return fix.route.empty() ? std::string()
                                 : trf(l, " (usulan melalui {})", " (proposal via {})", chain_text(fix.route, rules));
    };
    const auto recognised = [&] {
        return fix.reinstate ? name_of(*fix.reinstate)
                             : std::string(tr(l, "pejabat terakhir yang diakui pusat",
                                              "the last official the centre recognised"));
    };
    const auto approved = [&](std::string_view otherwise) {
        return fix.approve ? name_of(*fix.approve) : std::string(otherwise);
    };
    switch (fix.kind) {
    case remedy_kind::reinstate_or_approve:
        if (fix.never_installed) {
            if (fix.authority == no_index)
                return trf(l, "lantik {} yang telah disetujui pusat", "install {}, whom the centre approved", recognised());
            return trf(l, "lantik {} yang telah disetujui pusat, atau peroleh persetujuan {} untuk {}{}",
                       "install {}, whom the centre approved, or obtain the approval of {} for {}{}", recognised(),
                       authority_title(fix.authority, rules), approved(tr(l, "perubahan ini", "this change")), via());
        }
        if (fix.authority == no_index) return trf(l, "kembalikan {}", "reinstate {}", recognised());
        return trf(l, "kembalikan {}, atau peroleh persetujuan {} untuk {}{}",
                   "reinstate {}, or obtain the approval of {} for {}{}", recognised(),
                   authority_title(fix.authority, rules), approved(tr(l, "perubahan ini", "this change")), via());
    case remedy_kind::reinstate_only:
        return trf(l, "kembalikan {}; tidak ada persetujuan yang dapat mengesahkan perubahan ini",
                   "reinstate {}; no approval can make this change lawful", recognised());
    case remedy_kind::install_approved:
        return trf(l, "lantik {} yang telah disetujui pusat", "install {}, whom the centre approved", approved("?"));
    case remedy_kind::leave_one_post:
        return trf(l, "{} harus melepaskan salah satu jabatan", "{} must leave one of the posts", approved("?"));
    case remedy_kind::fill_post:
        return std::string(tr(l, "tunjuk pelaksana tugas (Plt) dan usulkan pejabat definitif",
                              "appoint an acting official (Plt) and propose a definitive holder"));
    }
    return {};
}

void write_text(std::ostream& os, const audit_report& report, const rule_set& rules, const text_options& options) {
    const lang l = options.language;
    palette c;
    if (options.color) c = {"\x1b[1m", "\x1b[2m", "\x1b[1;31m", "\x1b[1;33m", "\x1b[0m"};
    const audit_result& r = report.result;
    std::string out;
    out += fmt::format("{}patuh audit{} — {} {}\n", c.bold, c.reset, tr(l, "per tanggal", "as of"), as_of_text(r, l));
    out += records_line(report, l) + "\n";
    if (!report.regions.empty()) out += selection_line(report, l) + "\n";
    const severity_counts sc = count(r.findings);
    std::string tally;
    for (int s = 4; s >= 0; --s) {
        if (sc.all[static_cast<std::size_t>(s)] == 0) continue;
        if (!tally.empty()) tally += ", ";
        tally += trf(l, "{} {} ({} terbuka)", "{} {} ({} open)", sc.all[static_cast<std::size_t>(s)],
                             describe_severity(static_cast<severity>(s), l), sc.open[static_cast<std::size_t>(s)]);
    }
    out += fmt::format("{}: {}.\n", tr(l, "Temuan", "Findings"), tally.empty() ? tr(l, "tidak ada", "none") : tally);

    // A region's heading, when it has something to show.
    const auto region_heading = [&](const region_state& reg, bool has_findings, std::string& into) {
        if (!has_findings && reg.stage < 0 && reg.cut.empty() && reg.warnings == 0) return;
        into += fmt::format("\n{}== {} ({}) — {}{}\n", c.bold, reg.code, level_title(reg.level, rules),
                            describe_stage(reg.stage, rules, l), c.reset);
        into += trf(l, "   {} temuan terbuka, {} catatan terbuka, {} teguran", "   {} open findings, {} open notices, {} warnings",
                    reg.open_findings, reg.open_notices, reg.warnings);
        if (reg.deadline) into += trf(l, " (tenggat {})", " (deadline {})", reg.deadline->iso());
        into += "\n";
        if (!reg.cut.empty())
            into += trf(l, "   {}Diputus sejak {}: {}{}\n", "   {}Cut off since {}: {}{}\n", c.red,
                        reg.cut_since ? reg.cut_since->iso() : "?", services_text(reg.cut, rules), c.reset);
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
        const rule& ru = rules.rules.at(f.rule);
        into += fmt::format("\n   {}{}{} {} — {}, {} ({} {})\n", c.for_severity(f.sev), describe_severity(f.sev, l),
                            c.reset, ru.id, shown(f.position), unit_title(f.unit, rules), tr(l, "eselon", "rank"),
                            rank_title(f.rank, rules));
        into += fmt::format("      {}\n", ru.message.in(l));
        if (f.closed)
            into += trf(l, "      Terbuka {} s.d. {} ({} hari); ditutup oleh {}: {}\n", "      Open {} to {} ({} days); closed by {}: {}\n",
                        f.opened.iso(), f.closed->iso(), *f.closed - f.opened, shown(f.closed_by),
                        close_label(*f.closed_because, l));
        else
            into += trf(l, "      Terbuka sejak {} ({} hari, masih terbuka)\n", "      Open since {} ({} days, still open)\n",
                        f.opened.iso(), r.as_of - f.opened);
        into += trf(l, "      Peristiwa {} ({}), {}:{}\n", "      Event {} ({}), {}:{}\n", shown(f.event_id),
                    describe_action(f.kind, l), shown(f.source), f.line);
        into += fmt::format("      {}: {}   {}: {}\n", tr(l, "De facto", "De facto"),
                            f.de_facto ? shown(name_of(*f.de_facto)) : std::string(tr(l, "kosong", "vacant")),
                            tr(l, "De jure", "De jure"),
                            f.de_jure ? shown(name_of(*f.de_jure)) : std::string(tr(l, "tidak diketahui", "unknown")));
        if (ru.kind == rule_kind::requirement || ru.kind == rule_kind::moratorium)
            into += fmt::format("      {}: {}\n", tr(l, "Syarat", "Required"), describe_requirement(ru, rules, l));
        into += fmt::format("      {}: {}\n", tr(l, "Pemulihan", "Remedy"), shown(describe_remedy(f.fix, rules, l)));
        into += fmt::format("      {}: {} ({}) — {}\n", tr(l, "Aturan", "Rule"), ru.id,
                            rules.policies.at(ru.policy).title, ru.citation);
    });
    for (std::size_t k = from; k < r.regions.size(); ++k) region_heading(r.regions[k], false, out);
    if (!report.rejected.empty()) {
        out += fmt::format("\n{}{}{}\n", c.bold, tr(l, "Rekaman ditolak:", "Rejected records:"), c.reset);
        rejection x;
        for (std::size_t i = 0; i < report.rejected.size(); ++i) {
            report.rejected.read(i, x);
            out += fmt::format("   {}:{}: {} {}\n", shown(x.source), x.line, x.code, shown(x.reason.in(l)));
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

// Writes one JSON object the way nlohmann::json prints it (members in key
// order, the caller's job; `indent` < 0: compact), without building it.
// Valid UTF-8 strings are escaped as nlohmann::json escapes them (quote,
// backslash and control characters only), invalid ones go through
// nlohmann::json, so escapes and replaced bytes come out as in the rest of
// the report.
class object_writer {
public:
    object_writer(char_buffer& out, int indent, int depth) : out_(out), indent_(indent), depth_(depth) {}

    void open() {
        out_.put('{');
        ++depth_;
        first_ = true;
    }
    void close() {
        --depth_;
        if (!first_) newline();
        out_.put('}');
        first_ = false;
    }
    // Keys are literals (the caller's member names), so their copy is of a
    // size known here.
    template <std::size_t N>
    object_writer& key(const char (&k)[N]) {
        constexpr std::size_t size = N - 1;
        const std::size_t margin = indent_ < 0 ? 0 : 1 + static_cast<std::size_t>(indent_ * depth_);
        char* p = out_.room(1 + std::max(margin, margin_copy) + size + 4);
        if (!first_) *p++ = ',';
        first_ = false;
        if (margin > 0) {
            *p = '\n';
            // The margin as a copy of fixed size when it fits (the rest is
            // written over next).
            if (margin <= margin_copy) std::memcpy(p + 1, spaces, margin_copy);
            else std::memset(p + 1, ' ', margin - 1);
            p += margin;
        }
        *p++ = '"';
        std::memcpy(p, k, size);
        p += size;
        *p++ = '"';
        *p++ = ':';
        if (indent_ >= 0) *p++ = ' ';
        out_.advance(p);
        return *this;
    }
    void text(std::string_view s) {
        const std::size_t plain = plain_prefix(s);
        if (plain < s.size() && !simdjson::validate_utf8(s.data() + plain, s.size() - plain)) {
            out_.put(json(s).dump(-1, ' ', false, json::error_handler_t::replace));
            return;
        }
        // At most six characters for each one escaped, and the quotes.
        char* p = out_.room(plain + 6 * (s.size() - plain) + 2);
        *p++ = '"';
        std::memcpy(p, s.data(), plain);
        p += plain;
        for (std::size_t i = plain; i < s.size(); ++i) {
            const auto u = static_cast<unsigned char>(s[i]);
            if (u >= 0x20 && u != '"' && u != '\\') *p++ = s[i];
            else p = escape(u, p);
        }
        *p++ = '"';
        out_.advance(p);
    }
    void null() { out_.put("null"); }
    void boolean(bool b) { out_.put(b ? "true" : "false"); }
    template <class Int>
    void number(Int n) {
        char* p = out_.room(24);  // any 64-bit integer
        out_.advance(std::to_chars(p, p + 24, n).ptr);
    }
    void text_or_null(bool present, std::string_view s) {
        if (present) text(s);
        else null();
    }
    void someone(const std::optional<person>& p) {
        if (!p) return null();
        open();
        key("name").text(p->name);
        key("nip").text(p->nip);
        close();
    }
    template <class Range, class Id>
    void texts(const Range& items, Id id) {
        if (items.empty()) {
            out_.put("[]");
            return;
        }
        out_.put('[');
        ++depth_;
        bool first = true;
        for (const auto& item : items) {
            if (!first) out_.put(',');
            first = false;
            newline();
            text(id(item));
        }
        --depth_;
        newline();
        out_.put(']');
    }

private:
    static constexpr std::size_t margin_copy = 16;
    static constexpr char spaces[margin_copy + 1] = "                ";

    // How many leading bytes of `s` are written as they are: printable
    // ASCII but the quote and the backslash. Eight bytes at a time: a word
    // passes when none of its bytes is below 0x20, at or above 0x80, '"' or
    // '\\'.
    static std::size_t plain_prefix(std::string_view s) {
        std::size_t i = 0;
        for (; i + 8 <= s.size(); i += 8) {
            std::uint64_t w;
            std::memcpy(&w, s.data() + i, 8);
            if (word_holds<'"', '\\'>(w, true)) break;
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
    void newline() {
        if (indent_ < 0) return;
        const auto n = static_cast<std::size_t>(indent_ * depth_);
        char* p = out_.room(n + 1);
        *p++ = '\n';
        std::memset(p, ' ', n);
        out_.advance(p + n);
    }
    // Bytes written as they are: printable ASCII but the quote and the backslash.
    static constexpr std::array<bool, 256> is_plain = [] {
        std::array<bool, 256> plain{};
        for (int c = 0x20; c < 0x80; ++c) plain[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
        return plain;
    }();
    char_buffer& out_;
    int indent_;
    int depth_;
    bool first_ = true;
};

}  // namespace

void append_finding_json(std::string& out, const finding& f, const audit_result& r, const rule_set& rules, lang l,
                         int indent, int depth) {
    const rule& ru = rules.rules.at(f.rule);
    thread_local char_buffer buffer;
    buffer.clear();
    object_writer w(buffer, indent, depth);
    w.open();
    w.key("action").text(to_string(f.kind));
    w.key("citation").text(ru.citation);
    w.key("closed").text_or_null(f.closed.has_value(), f.closed ? f.closed->iso() : std::string());
    w.key("closed_because").text_or_null(f.closed_because.has_value(),
                                         f.closed_because ? to_string(*f.closed_because) : std::string_view());
    w.key("closed_by").text_or_null(f.closed.has_value(), f.closed_by);
    w.key("days").number((f.closed ? *f.closed : r.as_of) - f.opened);
    w.key("event_id").text(f.event_id);
    w.key("kind").text(f.is_notice() ? "notice" : "violation");
    w.key("level").text_or_null(f.level != no_index, f.level == no_index ? std::string_view() : rules.levels.at(f.level).id);
    w.key("line").number(f.line);
    w.key("message").text(ru.message.in(l));
    w.key("opened").text(f.opened.iso());
    w.key("person").someone(f.de_facto);
    w.key("policy").text(rules.policies.at(ru.policy).id);
    w.key("position").text(f.position);
    w.key("rank").text_or_null(f.rank != no_index, f.rank == no_index ? std::string_view() : rules.ranks.at(f.rank).id);
    w.key("recognised").someone(f.de_jure);
    w.key("region").text(f.region);
    w.key("remedy").open();
    w.key("approve").someone(f.fix.approve);
    w.key("authority").text_or_null(f.fix.authority != no_index, f.fix.authority == no_index
                                                                     ? std::string_view()
                                                                     : rules.authorities.at(f.fix.authority).id);
    w.key("never_installed").boolean(f.fix.never_installed);
    w.key("reinstate").someone(f.fix.reinstate);
    w.key("route").texts(f.fix.route, [&](index_t a) -> std::string_view { return rules.authorities.at(a).id; });
    w.key("text").text(describe_remedy(f.fix, rules, l));
    w.close();
    w.key("required_authority");
    if ((ru.kind == rule_kind::requirement || ru.kind == rule_kind::moratorium) && ru.need == demand::approval) {
        const authority& a = rules.authorities.at(ru.authority);
        w.open();
        w.key("id").text(a.id);
        w.key("or_higher").boolean(ru.or_higher);
        w.key("title").text(a.title);
        w.close();
    } else {
        w.null();
    }
    w.key("rule_id").text(ru.id);
    w.key("severity").text(to_string(f.sev));
    w.key("source").text(f.source);
    w.key("unit").text_or_null(f.unit != no_index, f.unit == no_index ? std::string_view() : rules.units.at(f.unit).id);
    w.close();
    out.append(buffer.view());
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
    return {{"events_read", report.read},
            {"events_evaluated", r.evaluated},
            {"events_rejected", report.rejected_count},
            {"events_after_as_of", r.after_as_of},
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

std::string dumped(const json& value, int indent) {
    return value.dump(indent, ' ', false, json::error_handler_t::replace);
}

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

// A rejected record as in the JSON report's `rejected`.
void append_rejection_json(std::string& out, const rejection& x, lang l) {
    char_buffer buffer;
    object_writer w(buffer, 2, 2);
    w.open();
    w.key("code").text(x.code);
    w.key("field").text_or_null(!x.field.empty(), x.field);
    w.key("line").number(x.line);
    w.key("reason").text(x.reason.in(l));
    w.key("source").text(x.source);
    w.close();
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
    write_findings(os, out, r.findings, threads, [&](std::size_t i, const finding& f, std::string& into) {
        into += i == 0 ? "\n    " : ",\n    ";
        append_finding_json(into, f, r, rules, l, 2, 2);
    });
    os << (r.findings.empty() ? "]" : "\n  ]");
    copy_until("rejected", rejected_placeholder);
    std::string rows = "[";
    rejection x;
    for (std::size_t i = 0; i < report.rejected.size(); ++i) {
        rows += i == 0 ? "\n    " : ",\n    ";
        report.rejected.read(i, x);
        append_rejection_json(rows, x, l);
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
    write_findings(os, out, r.findings, threads, [&](std::size_t, const finding& f, std::string& into) {
        append_finding_json(into, f, r, rules, l, -1, 0);
        into += '\n';
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
    const std::string amount = w.months ? trf(l, "{} bulan", "{} months", w.amount) : trf(l, "{} hari", "{} days", w.amount);
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
