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
#include <cctype>

namespace patuh {

namespace {

using namespace report_support;

// Longest text a spreadsheet formula may hold as one string constant.
constexpr std::size_t formula_text_limit = 255;

bool has_digit(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_truth_value(std::string_view s) {
    std::string lower(s);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    return lower == "true" || lower == "false";
}

std::string csv_field(std::string_view s) {
    if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
    std::string out = "\"";
    for (const char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + '"';
}

// One text cell, kept as text by spreadsheets.
std::string text_cell(std::string_view s) {
    if (s.empty()) return {};
    const bool value_like = has_digit(s) || is_truth_value(s);
    if (value_like && s.size() <= formula_text_limit && s.find_first_of("\r\n") == std::string_view::npos) {
        std::string formula = "=\"";
        for (const char c : s) {
            if (c == '"') formula += '"';
            formula += c;
        }
        return csv_field(formula + '"');
    }
    if (std::string_view("=+-@\t\r").find(s.front()) != std::string_view::npos) {
        std::string quoted = "'";
        quoted += s;
        return csv_field(quoted);
    }
    return csv_field(s);
}

std::string number_cell(std::int64_t n) { return std::to_string(n); }

constexpr std::size_t column_count = 25;

std::array<const char*, column_count> header(lang l) {
    if (l == lang::id)
        return {"Kode wilayah",   "Tingkat wilayah",  "Unit kerja",     "Jabatan",        "Eselon",
                "Aturan",         "Kebijakan",        "Jenis",          "Keparahan",      "Tindakan",
                "NIP de facto",   "Nama de facto",    "NIP de jure",    "Nama de jure",   "Dibuka",
                "Ditutup",        "Hari",             "Sebab ditutup",  "Ditutup oleh",   "Peristiwa",
                "Sumber",         "Baris",            "Pemulihan",      "Dasar hukum",    "Tahap wilayah"};
    return {"Region code",    "Region level",  "Unit",         "Position",  "Rank",
            "Rule",           "Policy",        "Kind",         "Severity",  "Action",
            "De facto NIP",   "De facto name", "De jure NIP",  "De jure name", "Opened",
            "Closed",         "Days",          "Close cause",  "Closed by", "Event",
            "Source",         "Line",          "Remedy",       "Citation",  "Region stage"};
}

}  // namespace

void write_csv(std::ostream& os, const audit_report& report, const rule_set& rules, lang l, unsigned threads) {
    const audit_result& r = report.result;
    const auto regions = regions_by_code(r);
    std::string out = "\xEF\xBB\xBF";
    const auto row = [](std::string& into, const std::array<std::string, column_count>& cells) {
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (i > 0) into += ',';
            into += cells[i];
        }
        into += "\r\n";
    };
    std::array<std::string, column_count> head;
    const auto names = header(l);
    std::transform(names.begin(), names.end(), head.begin(), [](const char* h) { return text_cell(h); });
    row(out, head);
    write_findings(os, out, r.findings, threads, [&](std::size_t, const finding& f, std::string& into) {
        const rule& ru = rules.rules.at(f.rule);
        const auto region = regions.find(f.region);
        const int stage = region == regions.end() ? -1 : region->second->stage;
        row(into,
            {text_cell(f.region),
             text_cell(f.level == no_index ? std::string() : level_title(f.level, rules)),
             text_cell(f.unit == no_index ? std::string() : unit_title(f.unit, rules)),
             text_cell(f.position),
             text_cell(f.rank == no_index ? std::string() : rank_title(f.rank, rules)),
             text_cell(ru.id),
             text_cell(rules.policies.at(ru.policy).title),
             text_cell(f.is_notice() ? tr(l, "catatan", "notice") : tr(l, "pelanggaran", "violation")),
             text_cell(describe_severity(f.sev, l)),
             text_cell(describe_action(f.kind, l)),
             text_cell(f.de_facto ? f.de_facto->nip : std::string()),
             text_cell(f.de_facto ? f.de_facto->name : std::string()),
             text_cell(f.de_jure ? f.de_jure->nip : std::string()),
             text_cell(f.de_jure ? f.de_jure->name : std::string()),
             text_cell(f.opened.iso()),
             text_cell(f.closed ? f.closed->iso() : std::string()),
             number_cell((f.closed ? *f.closed : r.as_of) - f.opened),
             text_cell(f.closed_because ? close_label(*f.closed_because, l) : std::string_view()),
             text_cell(f.closed ? f.closed_by : std::string()),
             text_cell(f.event_id),
             text_cell(f.source),
             f.line == 0 ? std::string() : number_cell(static_cast<std::int64_t>(f.line)),
             text_cell(describe_remedy(f.fix, rules, l)),
             text_cell(ru.citation),
             text_cell(describe_stage(stage, rules, l))});
    });
}

std::string render_csv(const audit_report& report, const rule_set& rules, lang l) {
    return written([&](std::ostream& os) { write_csv(os, report, rules, l); });
}

}  // namespace patuh
