#pragma once
// Audit reports (docs/report.md): human text (grouped by region, worst
// first), a stable, versioned JSON document (schema patuh-audit/1), JSON
// Lines (one finding a line, then the summary), CSV for spreadsheets, and a
// self-contained HTML page for auditors.

#include <nlohmann/json_fwd.hpp>
#include <patuh/engine.hpp>
#include <patuh/event.hpp>
#include <patuh/i18n.hpp>
#include <patuh/rejections.hpp>
#include <patuh/rule_set.hpp>

#include <cstddef>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace patuh {

inline constexpr std::string_view report_schema_version = "patuh-audit/1";

// What one input of an audit gave: read = evaluated + rejected + after_as_of
// (rejected: by its reader, and by the engine for records it could not place).
struct input_summary {
    std::string name;  // as given ("-": standard input)
    std::uint64_t read = 0;
    std::uint64_t evaluated = 0;
    std::uint64_t rejected = 0;
    std::uint64_t after_as_of = 0;
    // The line and code of the rejection after which nothing more of the
    // input was read (rejection::ends_input: a CSV header that cannot be
    // used, a quote never closed, damaged gzip data, a broken JSON array);
    // empty code: the input was read to its end.
    std::uint64_t stopped_line = 0;
    std::string stopped_code;
    bool stopped() const { return !stopped_code.empty(); }
};

// Makes audit_report::per_input: told of each input's events as the engine
// judges them, of every record rejected (by a reader, or by the engine),
// and of the end of each input's reading, each with the input's place among
// the names given. The events may come after every input was read (sorted
// by date: `--sort`).
class input_tally {
public:
    explicit input_tally(const std::vector<std::string>& names);
    // Gives `e`, of input `input`, to `judge` and counts what it made of it;
    // false, with `why` filled, when the engine refused it (then pass `why`
    // to rejected()).
    bool judge(engine& judge, std::size_t input, const event& e, rejection& why);
    void rejected(std::size_t input, const rejection& x);
    // Input `input` was read to its end (or to where it stopped): its reader read `read` records.
    void input_read(std::size_t input, std::uint64_t read);
    const std::vector<input_summary>& inputs() const { return inputs_; }

private:
    std::vector<input_summary> inputs_;
};

struct audit_report {
    std::vector<std::string> inputs;
    // Per input, in the order of `inputs`: what each gave (the summaries' breakdown).
    std::vector<input_summary> per_input;
    // The regions reported (engine_options::regions, `--region`); empty: all.
    std::vector<std::string> regions;
    std::uint64_t read = 0;
    std::uint64_t rejected_count = 0;
    rejection_list rejected;
    audit_result result;
};

struct text_options {
    lang language = lang::en;
    bool color = false;
    unsigned threads = 1;  // threads formatting the findings
};

// Each report is written to a stream as it is made (write_*: findings one at
// a time, read back from the audit's finding list), or returned whole
// (render_*: for small reports and tests). The text, JSON, JSON Lines and
// CSV writers format the findings on `threads` threads; the bytes written
// are the same for any number.
void write_text(std::ostream& out, const audit_report& report, const rule_set& rules, const text_options& options);
std::string render_text(const audit_report& report, const rule_set& rules, const text_options& options);
void write_json(std::ostream& out, const audit_report& report, const rule_set& rules, lang language,
                unsigned threads = 1);
nlohmann::json render_json(const audit_report& report, const rule_set& rules, lang language);
// Appends one finding as in the JSON report's `findings`: compact when
// `indent` < 0, else as nlohmann::json prints it with that indent, nested
// `depth` levels deep. Each call first makes what the JSON writers make once
// for a whole report (every key, id and rule text of `rules`, escaped and
// laid out): for tests and single findings, not for writing many.
void append_finding_json(std::string& out, const finding& f, const audit_result& result, const rule_set& rules,
                         lang language, int indent, int depth);
// Appends findings as in the JSON report's `findings`, laid out as
// append_finding_json does; what the JSON writers make once for a report is
// made once when the writer is made (for writing many findings of one report).
class finding_json_writer {
public:
    finding_json_writer(const audit_result& result, const rule_set& rules, lang language, int indent, int depth);
    ~finding_json_writer();
    finding_json_writer(const finding_json_writer&) = delete;
    finding_json_writer& operator=(const finding_json_writer&) = delete;
    void append(std::string& out, const finding& f);

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};
// The JSON report's `summary`.
nlohmann::json summary_json(const audit_report& report);
// One finding a line, then one summary line (the only line with "schema").
void write_jsonl(std::ostream& out, const audit_report& report, const rule_set& rules, lang language,
                 unsigned threads = 1);
std::string render_jsonl(const audit_report& report, const rule_set& rules, lang language);
// A spreadsheet (Excel, LibreOffice Calc) opens at most this many rows of a
// sheet, the CSV report's header row among them: of a report with more
// findings it shows the first spreadsheet_rows - 1 only (W0603).
inline constexpr std::uint64_t spreadsheet_rows = 1048576;
// The findings a CSV file holds: those numbered [first, first + count) in
// report order, for a report split into files a spreadsheet opens whole.
struct finding_range {
    std::size_t first = 0;
    std::size_t count = static_cast<std::size_t>(-1);  // to the last
};
// Where a row of a CSV file starts: `row` (1-based, the header row not
// counted) is set before writing, and write_csv sets `line`, the file's line
// on which that row starts (a cell holding line breaks takes several lines),
// or 0 when the file has fewer rows.
struct csv_row_place {
    std::uint64_t row = 0;
    std::uint64_t line = 0;
};
// One row a finding (those of `range`), with a header row; UTF-8 with a
// byte-order mark, CRLF, RFC 4180 quoting; codes, NIPs and dates kept as
// text in spreadsheets. `delimiter`: ',' (RFC 4180), ';' (what Excel expects
// where the list separator is a semicolon, as in Indonesian regional
// settings) or a tab. `place`: the line of a row, when one is asked for.
void write_csv(std::ostream& out, const audit_report& report, const rule_set& rules, lang language,
               unsigned threads = 1, char delimiter = ',', finding_range range = {}, csv_row_place* place = nullptr);
std::string render_csv(const audit_report& report, const rule_set& rules, lang language, char delimiter = ',');
struct html_options {
    static constexpr std::size_t every_post = static_cast<std::size_t>(-1);
    lang language = lang::en;
    unsigned threads = 1;  // threads formatting the posts' sections
    // How many flagged posts get a section (timeline and findings), in report
    // order (regions worst first). Every flagged post is a row of the posts'
    // table whatever this is: a national log flags thousands of posts, whose
    // sections would make a page no browser opens.
    std::size_t post_sections = 250;
};

// One HTML file without external resources. Timelines need the engine's
// history (engine_options::history); without it the posts have none.
// With threads > 1 the posts' sections are formatted on that many threads;
// what is written is the same.
void write_html(std::ostream& out, const audit_report& report, const rule_set& rules, const html_options& options);
std::string render_html(const audit_report& report, const rule_set& rules, const html_options& options);

// "reinstate Asir Mangopo (NIP ...), or obtain the approval of ... for ... via ..."
std::string describe_remedy(const remedy& fix, const rule_set& rules, lang language);
// "Menteri Dalam Negeri or higher, on or before the effective date", "no approval needed", ...
std::string describe_requirement(const rule& r, const rule_set& rules, lang language);
std::string_view describe_action(event_kind kind, lang language);   // "appointment"
std::string_view describe_severity(severity s, lang language);      // "HIGH"
std::string_view describe_reason(reason r, lang language);          // "retirement", "pensiun"
std::string describe_stage(int stage, const rule_set& rules, lang language);  // the ladder label, or "no open risk"

// The warning W0601 for changes of holders that came out of date order
// across posts (audit_result::out_of_date_order), without its place: "3
// changes of holders are dated before a change already judged in another
// post, the first here: 2016-05-02, after a change of 2017-09-01. ... run
// again with --sort, or sort the records by date." Empty when they came in
// date order.
std::string describe_date_order_breaks(const date_order_breaks& breaks, lang language);
// The same after the place of the first such change: "luwu.csv:2: 3 changes ...".
std::string date_order_warning(const date_order_breaks& breaks, lang language);

// The warning W0602 for duplicate records (audit_result::duplicates), without
// its place: "2 duplicate records were not applied again: ... the first here
// (ev-7) repeats merged.jsonl:8." Empty when there was none.
std::string describe_duplicates(const duplicate_records& dups, lang language);
// The same after the place of the first duplicate: "merged.jsonl:9: 2 duplicate ...".
std::string duplicates_warning(const duplicate_records& dups, lang language);

// The warning W0603 for a CSV report of more findings than a spreadsheet
// shows, without its place (the line of the first row not shown): "1200000
// findings, more than the 1048575 rows a spreadsheet ... shows below the
// header: ...". Empty when they fit.
std::string describe_spreadsheet_overflow(std::uint64_t findings, lang language);

// "within 6 months after the inauguration of the regional head", "while a caretaker heads the region"
std::string describe_window(const region_window& w, lang language);

// Text for XML and HTML content and attribute values: & < > " escaped, line
// breaks as &#10;, other control characters (not allowed in XML) as spaces.
std::string markup_escape(std::string_view s);

}  // namespace patuh
