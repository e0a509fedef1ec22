#pragma once
// Helpers shared by the audit report writers (text, JSON, JSON Lines, CSV,
// HTML); not part of the public API.

#include <patuh/report.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace patuh::report_support {

// Terminal colours for the text reports; all empty when colour is off.
struct palette {
    const char* bold = "";
    const char* dim = "";
    const char* red = "";
    const char* yellow = "";
    const char* reset = "";
    const char* for_severity(severity s) const { return s >= severity::high ? red : s >= severity::low ? yellow : dim; }
    static palette colored() { return {"\x1b[1m", "\x1b[2m", "\x1b[1;31m", "\x1b[1;33m", "\x1b[0m"}; }
};

std::string name_of(const person& p);  // "Asir Mangopo (NIP 196504121990031007)"
// A holder: name_of, and ", acting" (", Plt/Plh") when the holder is the acting official.
std::string holder_name(const person& p, bool acting, lang l);
std::string level_title(index_t level, const rule_set& rules);  // "Kota", or "?"
std::string unit_title(index_t unit, const rule_set& rules);    // "?" when unknown
std::string rank_title(index_t rank, const rule_set& rules);    // the rank id, or "-"
std::string services_text(const std::vector<index_t>& services, const rule_set& rules);
std::string_view close_label(close_cause c, lang l);            // "the central approval arrived"

// Findings per severity (index: severity), all and still open on the report date.
struct severity_counts {
    std::array<std::uint64_t, 5> all{};
    std::array<std::uint64_t, 5> open{};
};
severity_counts count(const finding_list& findings);

// "Read 4 records = 3 evaluated + 1 rejected." (+ the events after --as-of when there are any)
std::string records_line(const audit_report& report, lang l);
// Whether the reports break the records down by input: when there is more
// than one, or one stopped before its end.
bool shows_inputs(const audit_report& report);
// An input as the reports name it ("<stdin>" for "-").
std::string input_name(const input_summary& in);
// "events.jsonl: 4 records = 3 evaluated + 1 rejected." (+ where it stopped
// before its end: "; stopped at line 9 (R0117), nothing after it was read")
std::string input_line(const input_summary& in, lang l);
// The report date, or words saying there is none (no event judged, no --as-of).
std::string as_of_text(const audit_result& r, lang l);
// "Regions selected: 73, 74.01 (a province with its kabupaten and kota)";
// empty when every region is reported.
std::string selection_line(const audit_report& report, lang l);

// CSV as the CSV report writes it (engine/io/report_csv.cpp): UTF-8 after a
// byte-order mark, CRLF, RFC 4180 quoting, and text a spreadsheet would turn
// into a number, a date or a formula kept as text.
inline constexpr std::string_view csv_byte_order_mark = "\xEF\xBB\xBF";
// One text cell in a file of `delimiter`.
void append_text_cell(std::string& out, std::string_view s, char delimiter);
// A row of cells, written one after another.
class csv_row {
public:
    csv_row(std::string& out, char delimiter) : out_(out), delimiter_(delimiter) {}
    csv_row& text(std::string_view s) {
        next();
        append_text_cell(out_, s, delimiter_);
        return *this;
    }
    csv_row& number(std::int64_t n);
    csv_row& empty() {
        next();
        return *this;
    }
    void end() { out_ += "\r\n"; }

private:
    void next() {
        if (!first_) out_ += delimiter_;
        first_ = false;
    }
    std::string& out_;
    char delimiter_;
    bool first_ = true;
};

// The line breaks of one CSV row (as csv_row writes it) inside its cells:
// all but the row's own end.
inline std::uint64_t line_breaks_inside(std::string_view row) {
    const auto breaks = static_cast<std::uint64_t>(std::count(row.begin(), row.end(), '\n'));
    return breaks > 1 ? breaks - 1 : 0;
}

// Writes `buffer` to `os` and empties it once it holds more than 64 KiB.
void flush_when_full(std::ostream& os, std::string& buffer);
// Appends finding number i to `out`.
using finding_format = std::function<void(std::size_t i, const finding& f, std::string& out)>;
// Makes the finding_format of one thread: each thread that formats calls it
// once, so what the function it makes keeps from one finding to the next (a
// cache) is that thread's alone.
using finding_formatter = std::function<finding_format()>;
// Writes `out`, then every finding as the formats of `make_format` make it,
// in order, and leaves `out` empty. With threads > 1 the findings are
// formatted in batches on that many threads; what is written is the same.
// `range`: only those findings (the format is still given each one's number
// in the whole list).
void write_findings(std::ostream& os, std::string& out, const finding_list& findings, unsigned threads,
                    const finding_formatter& make_format, finding_range range = {});
// The same with one `format` for every thread: it must be safe to call from
// several threads at once (for different findings and strings).
void write_findings(std::ostream& os, std::string& out, const finding_list& findings, unsigned threads,
                    const finding_format& format, finding_range range = {});
// What `write` writes, as a string.
std::string written(const std::function<void(std::ostream&)>& write);

// The report's regions by code.
std::unordered_map<std::string_view, const region_state*> regions_by_code(const audit_result& r);

}  // namespace patuh::report_support
