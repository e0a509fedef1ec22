// Findings as CSV for spreadsheets (docs/report.md): one row a finding.
// UTF-8 with a byte-order mark (Excel reads UTF-8 only with it), CRLF line
// ends and RFC 4180 quoting. A spreadsheet turns text that looks like a
// number, a date or a time into one (an 18-digit NIP loses its last digits, a
// date is reformatted), so such text is written as the formula ="..." whose
// value is the text itself; other text that a spreadsheet would read as a
// formula (starting with = + - @, a tab or a carriage return) gets a leading
// apostrophe.

#include "io/report_support.hpp"

#include <patuh/report.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <charconv>

namespace patuh {

namespace {

using namespace report_support;

// Longest text a spreadsheet formula may hold as one string constant.
constexpr std::size_t formula_text_limit = 255;

bool is_truth_value(std::string_view s) {
    const auto same = [](std::string_view a, std::string_view lower) {
        return a.size() == lower.size() && std::equal(a.begin(), a.end(), lower.begin(), [](char c, char l) {
                   return std::tolower(static_cast<unsigned char>(c)) == l;
               });
    };
    return same(s, "true") || same(s, "false");
}

// s, each '"' in it written `quotes` times.
void append_quotes_repeated(std::string& out, std::string_view s, std::size_t quotes) {
    for (std::size_t q = s.find('"'); q != std::string_view::npos; q = s.find('"')) {
        out.append(s.substr(0, q)).append(quotes, '"');
        s.remove_prefix(q + 1);
    }
    out.append(s);
}

// What a cell's text holds, found in one pass: bits of the bytes' classes.
// needs_quotes: " CR LF; a delimiter needs them only where it is the file's.
enum cell_class : std::uint8_t { has_digit = 1, needs_quotes = 2, line_break = 4, comma = 8, semicolon = 16, tab = 32 };

constexpr std::array<std::uint8_t, 256> cell_classes = [] {
    std::array<std::uint8_t, 256> t{};
    for (char c = '0'; c <= '9'; ++c) t[static_cast<unsigned char>(c)] = has_digit;
    t['"'] = needs_quotes;
    t['\r'] = t['\n'] = needs_quotes | line_break;
    t[','] = comma;
    t[';'] = semicolon;
    t['\t'] = tab;
    return t;
}();

// The class of a delimiter: a cell holding it is quoted.
std::uint8_t delimiter_class(char delimiter) {
    switch (delimiter) {
    case ';': return semicolon;
    case '\t': return tab;
    default: return comma;
    }
}

std::uint8_t scan(std::string_view s) {
    std::uint8_t found = 0;
    for (const char c : s) found |= cell_classes[static_cast<unsigned char>(c)];
    return found;
}

// `prefix` (no special character in it) and `s` as one RFC 4180 field.
void append_csv_field(std::string& out, std::string_view s, bool needs_quotes, std::string_view prefix = {}) {
    if (!needs_quotes) {
        out.append(prefix).append(s);
        return;
    }
    out += '"';
    out.append(prefix);
    append_quotes_repeated(out, s, 2);
    out += '"';
}

}  // namespace

namespace report_support {

void append_text_cell(std::string& out, std::string_view s, char delimiter) {
    if (s.empty()) return;
    std::uint8_t found = scan(s);
    if (found & delimiter_class(delimiter)) found |= needs_quotes;
    const bool value_like = (found & has_digit) || is_truth_value(s);
    if (value_like && s.size() <= formula_text_limit && !(found & line_break)) {
        // The formula ="s" (its quotes doubled), as a quoted field (every quote doubled again).
        out += "\"=\"\"";
        append_quotes_repeated(out, s, 4);
        out += "\"\"\"";
        return;
    }
    if (std::string_view("=+-@\t\r").find(s.front()) != std::string_view::npos)
        return append_csv_field(out, s, found & needs_quotes, "'");
    append_csv_field(out, s, found & needs_quotes);
}

csv_row& csv_row::number(std::int64_t n) {
    next();
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
    out_.append(digits, end);
    return *this;
}

}  // namespace report_support

namespace {

constexpr std::size_t column_count = 27;

std::array<const char*, column_count> header(lang l) {
    if (l == lang::id)
        return {"Kode wilayah",     "Tingkat wilayah", "Unit kerja",       "Jabatan",       "Eselon",
                "Aturan",           "Kebijakan",       "Jenis",            "Keparahan",     "Tindakan",
                "NIP de facto",     "Nama de facto",   "De facto Plt/Plh", "NIP de jure",   "Nama de jure",
                "De jure Plt/Plh",  "Dibuka",          "Ditutup",          "Hari",          "Sebab ditutup",
                "Ditutup oleh",     "Peristiwa",       "Sumber",           "Baris",         "Pemulihan",
                "Dasar hukum",      "Tahap wilayah"};
    return {"Region code",     "Region level",  "Unit",            "Position",    "Rank",
            "Rule",            "Policy",        "Kind",            "Severity",    "Action",
            "De facto NIP",    "De facto name", "De facto acting", "De jure NIP", "De jure name",
            "De jure acting",  "Opened",        "Closed",          "Days",        "Close cause",
            "Closed by",       "Event",         "Source",          "Line",        "Remedy",
            "Citation",        "Region stage"};
}

// Whether a holder acts (Plt/Plh): yes or no, empty when there is no holder.
std::string_view acting_cell(const std::optional<person>& who, bool acting, lang l) {
    if (!who) return {};
    return acting ? tr(l, "ya", "yes") : tr(l, "tidak", "no");
}

}  // namespace

void write_csv(std::ostream& os, const audit_report& report, const rule_set& rules, lang l, unsigned threads,
               char delimiter, finding_range range, csv_row_place* place) {
    const audit_result& r = report.result;
    // The line of row `place->row`: the header's, one for each row before it,
    // and the line breaks inside those rows' cells (counted on the threads
    // that format the rows).
    const std::size_t first = std::min(range.first, r.findings.size());
    const std::uint64_t rows = std::min(range.count, r.findings.size() - first);
    const std::uint64_t wanted = place != nullptr && place->row <= rows ? place->row : 0;
    std::atomic<std::uint64_t> breaks_inside{0};
    const auto regions = regions_by_code(r);
    std::string out(csv_byte_order_mark);
    csv_row head(out, delimiter);
    for (const char* h : header(l)) head.text(h);
    head.end();
    write_findings(os, out, r.findings, threads, [&](std::size_t i, const finding& f, std::string& into) {
        const std::size_t row_start = into.size();
        const rule& ru = rules.rules.at(f.rule);
        const auto region = regions.find(f.region);
        const int stage = region == regions.end() ? -1 : region->second->stage;
        const auto title = [&](index_t i, auto name_of) { return i == no_index ? std::string() : name_of(i, rules); };
        csv_row row(into, delimiter);
        row.text(f.region)
            .text(title(f.level, level_title))
            .text(title(f.unit, unit_title))
            .text(f.position)
            .text(title(f.rank, rank_title))
            .text(ru.id)
            .text(rules.policies.at(ru.policy).title)
            .text(f.is_notice() ? tr(l, "catatan", "notice") : tr(l, "pelanggaran", "violation"))
            .text(describe_severity(f.sev, l))
            .text(describe_action(f.kind, l))
            .text(f.de_facto ? std::string_view(f.de_facto->nip) : std::string_view())
            .text(f.de_facto ? std::string_view(f.de_facto->name) : std::string_view())
            .text(acting_cell(f.de_facto, f.de_facto_acting, l))
            .text(f.de_jure ? std::string_view(f.de_jure->nip) : std::string_view())
            .text(f.de_jure ? std::string_view(f.de_jure->name) : std::string_view())
            .text(acting_cell(f.de_jure, f.de_jure_acting, l))
            .text(f.opened.iso())
            .text(f.closed ? f.closed->iso() : std::string())
            .number((f.closed ? *f.closed : r.as_of) - f.opened)
            .text(f.closed_because ? close_label(*f.closed_because, l) : std::string_view())
            .text(f.closed ? std::string_view(f.closed_by) : std::string_view())
            .text(f.event_id)
            .text(f.source);
        if (f.line == 0) row.empty();
        else row.number(static_cast<std::int64_t>(f.line));
        row.text(describe_remedy(f.fix, rules, l)).text(ru.citation).text(describe_stage(stage, rules, l)).end();
        if (i - first + 1 < wanted) breaks_inside += line_breaks_inside(std::string_view(into).substr(row_start));
    }, range);
    if (place != nullptr) place->line = wanted == 0 ? 0 : 1 + wanted + breaks_inside.load();
}

std::string describe_spreadsheet_overflow(std::uint64_t findings, lang l) {
    const std::uint64_t shown = spreadsheet_rows - 1;
    if (findings <= shown) return {};
    return trf(l,
               "{0} temuan, lebih dari {1} baris yang ditampilkan lembar kerja (Excel, LibreOffice Calc) di bawah "
               "baris judul: {2} temuan mulai baris ini tidak tampil; tulis berkas-berkas yang terbuka utuh dengan "
               "--csv-rows-per-file {1}, atau laporkan wilayah sebagian demi sebagian dengan --region",
               "{0} findings, more than the {1} rows a spreadsheet (Excel, LibreOffice Calc) shows below the header "
               "row: the {2} findings from this row on are not shown; write files that open whole with "
               "--csv-rows-per-file {1}, or report the regions a part at a time with --region",
               findings, shown, findings - shown);
}

std::string render_csv(const audit_report& report, const rule_set& rules, lang l, char delimiter) {
    return written([&](std::ostream& os) { write_csv(os, report, rules, l, 1, delimiter); });
}

}  // namespace patuh
