#pragma once
// Where the rows of a CSV report start, found as a spreadsheet finds them
// (a line break inside quotes belongs to its cell), for checks of reports
// written in parts and of the line a row starts on.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace patuh::testing {

struct csv_rows {
    std::size_t header_end = 0;           // the first byte after the header row
    std::vector<std::size_t> start;       // where each row starts; then the end of the text
    std::vector<std::uint64_t> line;      // the line on which each row starts (the header's is 1)
    std::size_t count() const { return line.size(); }
    // The bytes of rows [first, last).
    std::string rows(const std::string& csv, std::size_t first, std::size_t last) const {
        return csv.substr(start[first], start[last] - start[first]);
    }
};

inline csv_rows rows_of(const std::string& csv) {
    csv_rows out;
    out.header_end = csv.find('\n') + 1;
    std::uint64_t line = 2;
    bool quoted = false;
    for (std::size_t i = out.header_end; i < csv.size(); ++i) {
        if (i == out.header_end || (!quoted && csv[i - 1] == '\n')) {
            out.start.push_back(i);
            out.line.push_back(line);
        }
        if (csv[i] == '"') quoted = !quoted;
        if (csv[i] == '\n') ++line;
    }
    out.start.push_back(csv.size());
    return out;
}

}  // namespace patuh::testing
