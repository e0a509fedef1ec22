#pragma once
// Rows of a CSV file (RFC 4180, as spreadsheets export it), read as a stream
// in bounded memory. The delimiter (comma, semicolon or tab) is taken from the
// header line unless given; a UTF-8 byte-order mark is skipped. Each row knows
// the line it starts on, so a rejected row can be named as an editor or a
// spreadsheet shows it.

#include <patuh/i18n.hpp>

#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace patuh {

// Why a row cannot be read as CSV.
enum class csv_problem_kind : std::uint8_t {
    // A quote inside a quoted value, neither doubled nor the end of the value,
    // keeps the value open past the end of its line.
    stray_quote,
    // The row is longer than csv_limits::max_row_bytes. Its text is then its
    // first max_row_bytes bytes, or all of it with csv_limits::keep_long_rows.
    too_long,
};

struct csv_problem {
    csv_problem_kind kind = csv_problem_kind::stray_quote;
    bilingual reason;
};

struct csv_row {
    std::uint64_t line = 0;           // 1-based line the row starts on
    std::vector<std::string> fields;  // as written, quotes removed, surrounding blanks trimmed
    std::string text;                 // the row as written (line breaks inside quotes kept), without its line end
    std::optional<csv_problem> problem;  // when the row cannot be read as CSV: then it has no fields
};

struct csv_limits {
    std::size_t max_row_bytes = 1 << 20;  // one row, all fields together, without its line end
    // A row over the limit keeps its whole text (for a rejects file); memory
    // then grows with the longest such row.
    bool keep_long_rows = false;
};

class csv_reader {
public:
    // `delimiter` 0: detect from the first line.
    explicit csv_reader(std::istream& in, char delimiter = 0, csv_limits limits = {});
    ~csv_reader();
    csv_reader(const csv_reader&) = delete;
    csv_reader& operator=(const csv_reader&) = delete;

    // The next row; false at the end of the input or after an error that
    // stops reading (see error()). Blank lines are skipped.
    bool next(csv_row& row);
    char delimiter() const;
    // Why reading stopped early (a quote not closed at the end of the input),
    // with the line of the row; nothing at a clean end. A row over the size
    // limit does not stop reading: it is handed out with its problem.
    const std::optional<bilingual>& error() const;
    std::uint64_t error_line() const;

private:
    struct state;
    std::unique_ptr<state> s_;
};

// One field for a CSV line: quoted when it holds a delimiter, a quote or a line break.
std::string csv_quote(std::string_view field, char delimiter = ',');

}  // namespace patuh
