#pragma once
// What every subcommand shares: loading the rule set, language and colour.

#include "io/event_sort.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json_fwd.hpp>
#include <patuh/engine.hpp>
#include <patuh/event.hpp>
#include <patuh/rejects.hpp>
#include <patuh/report.hpp>
#include <patuh/i18n.hpp>
#include <patuh/parse.hpp>
#include <patuh/rule_set.hpp>

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace patuh::cli {

inline constexpr int exit_ok = 0;
inline constexpr int exit_findings = 1;
inline constexpr int exit_unusable = 2;

struct common_options {
    std::vector<std::string> rules;  // empty: the rules compiled into the binary
    std::string lang_text;           // "id" | "en" | "" (from the locale)
    std::string color = "auto";      // auto | always | never
    parse_limits limits;
};

// Registers --max-file-bytes, --max-line-bytes and --max-rule-files on a subcommand.
void add_rule_limits(CLI::App* sub, common_options& o, lang l);
// Registers --rules and the rule-file limits.
void add_rules_option(CLI::App* sub, common_options& o, lang l);
// Registers --lang, and --color when the command prints in colour.
void add_language_options(CLI::App* sub, common_options& o, bool color, lang l);

// How event files are read: --input-format, --max-record-bytes, --max-depth,
// --mapping (CSV columns), --progress / --no-progress, --sort.
struct input_options {
    std::string format = "auto";  // auto | json | jsonl | csv
    reader_limits limits;
    std::string mapping;          // a CSV mapping file; empty: the built-in headers
    bool progress = false;        // --progress: always
    bool no_progress = false;     // --no-progress: never (default: when stderr is a terminal)
    bool sort = false;            // --sort: the events are given in date order after every input is read
    std::size_t sort_memory = event_sorter::default_memory_bytes;  // --sort-memory: bytes of events sorted at a time
    std::string progress_note;    // after each input's name in the progress line (progress_meter::note)
};
void add_input_options(CLI::App* sub, input_options& o, lang l);

// Told after each input has been read: its place in the names given and
// what its reader counted. The rejection sink was called for its rejected
// records before, and so was the event sink for its events unless they are
// sorted (input_options::sort), which gives them after the last input.
using input_read = std::function<void(std::size_t index, const read_counts& counts)>;
// Receives each accepted event with the place of its input among the names given.
using input_event_sink = std::function<void(std::size_t index, const event& e)>;

// Reads every named event file ("-": stdin) in order, gzip or not, JSON or
// CSV (patuh/input.hpp), with progress on a terminal. Returns the records
// read, or nothing when a file or the mapping file cannot be opened or used,
// or one file is named twice (repeated_input), before reading anything
// (reported on stderr as "patuh COMMAND: FILE: ..."), or when sorting
// needs a temporary file that cannot be written or read. With `rejects`,
// every record is kept whole for the rejects file. With input_options::sort
// the events are given after the last input was read, by date, and those of
// one date in the order read.
std::optional<std::uint64_t> read_inputs(const std::vector<std::string>& names, std::string_view command,
                                         const rule_set& rules, const input_options& o, const input_event_sink& on_event,
                                         const rejection_sink& on_reject, lang l, rejects_writer* rejects = nullptr,
                                         const input_read& on_input_read = {});

// Reads the inputs (read_inputs) through an engine of `rules` made with
// `options`: the report's records read, each input's summary, the rejected
// records and the engine's result (the engine itself is freed before it
// returns); nothing when the inputs cannot be read (said on stderr).
// `on_rejected` sees each rejected record before the report keeps it (to
// write it to `rejects`).
std::optional<audit_report> audit_inputs(const std::vector<std::string>& inputs, std::string_view command,
                                         const rule_set& rules, const engine_options& options,
                                         const input_options& input, lang l, rejects_writer* rejects = nullptr,
                                         const std::function<void(rejection&)>& on_rejected = {});

// The first input among `inputs` ("-": standard input) that is the same file
// (device and inode) as one before it, with that earlier one: its records
// would be read twice, each twice in the reports under the same FILE:LINE.
struct repeated {
    std::string first;
    std::string again;
};
std::optional<repeated> repeated_input(const std::vector<std::string>& inputs);
// When one file is named twice among `inputs`: says so on stderr ("patuh
// COMMAND: FILE: ...") and returns true.
bool refuse_repeated_input(std::string_view command, const std::vector<std::string>& inputs, lang l);

// The input among `inputs` ("-": standard input) that is the same regular
// file as `path`, when there is one: writing `path` would destroy it (a file
// opened for writing is emptied before the inputs are read).
std::optional<std::string> input_written_over(const std::string& path, const std::vector<std::string>& inputs);
// When `path`, given with `option`, is one of the inputs: says so on stderr
// ("patuh COMMAND: OPTION 'PATH': ...") and returns true.
bool refuse_input_written_over(std::string_view command, std::string_view option, const std::string& path,
                               const std::vector<std::string>& inputs, lang l);

// The rule files named (or the shipped ones), parsed with the limits given.
loaded_rules load_rule_files(const common_options& o);

lang language(const common_options& o);
bool use_color(const common_options& o, int fd);

// A JSON document as text for output; bytes that are not UTF-8 (from input
// files) are replaced, never a reason to fail.
std::string json_text(const nlohmann::json& document);

// Writes what `produce` writes, as it writes it, to the file `path` (to
// standard output when empty); says so on stderr ("patuh COMMAND: PATH: ..."
// or "patuh COMMAND: cannot write to standard output: ...") and returns false
// when it cannot be written. Every report on standard output goes through it.
bool write_output(const std::function<void(std::ostream&)>& produce, const std::string& path, std::string_view command,
                  lang l);
bool write_output(const std::string& text, const std::string& path, std::string_view command, lang l);

// --as-of: `text` as a date into `as_of` (nothing when empty). False, said on
// stderr ("patuh COMMAND: --as-of '...': ..."), when it is not a calendar day.
bool parse_as_of(const std::string& text, std::string_view command, lang l, std::optional<date>& as_of);
// --csv-delimiter (comma, semicolon, tab; empty: a comma) as a character;
// nothing, said on stderr, when it is given for a format other than csv.
std::optional<char> csv_delimiter(const std::string& name, const std::string& format, std::string_view command, lang l);
// --region: false, said on stderr, when a code is a region none of `rules` knows.
bool known_regions(const std::vector<std::string>& codes, std::string_view command,
                   const std::vector<const rule_set*>& rules, lang l);

// Loads and compiles the rule set; prints diagnostics to stderr. Nothing on
// errors (`draft`: said of a draft, whose errors stop a comparison).
std::optional<rule_set> load_rule_set(const common_options& o, bool draft = false);

// Prints the warning W0601 on stderr ("warning[W0601]: FILE:LINE:1: ...")
// when changes of holders came out of date order across posts; nothing else.
void warn_date_order(const date_order_breaks& breaks, lang l);
// Prints the warning W0602 on stderr when records were duplicates; nothing else.
void warn_duplicates(const duplicate_records& dups, lang l);

// Whether two files to be written are one regular file (existing or not yet).
bool same_file_to_write(const std::string& a, const std::string& b);

// --csv-rows-per-file N: a CSV report in files of at most N rows (0: one file).
void add_csv_rows_option(CLI::App* sub, std::size_t& rows_per_file, lang l);
// Whether --csv-rows-per-file can be used with this format and output;
// prints why not on stderr.
bool csv_rows_usable(std::size_t rows_per_file, const std::string& format, const std::string& output,
                     std::string_view command, lang l);
// Writes the rows of `range` with the header row, and sets `place` (write_csv).
using csv_part_writer = std::function<void(std::ostream&, finding_range range, csv_row_place* place)>;
// Writes a CSV report of `rows` rows to `output` (empty: standard output),
// or with rows_per_file > 0 in files of at most that many rows, the first
// `output` and the next ones named with -2, -3, ... before the extension
// (findings-2.csv). One file a spreadsheet does not show whole gets the
// warning W0603 on stderr; files written in parts are named on stderr, and a
// part an earlier run left after the last one. A part that would be written
// over an input or the `rejects` file is refused before anything is written.
// False when it could not write (the reason printed).
bool write_csv_report(const csv_part_writer& write, std::size_t rows, std::size_t rows_per_file,
                      const std::string& output, const std::vector<std::string>& inputs, const std::string& rejects,
                      std::string_view command, lang l);

}  // namespace patuh::cli
