#pragma once
// Rule files → syntax trees. Every syntax error of a file is reported (the
// parser recovers at the next statement), each with its span and what was
// expected. Nothing here prints: diagnostics are collected.

#include <patuh/ast.hpp>
#include <patuh/diagnostic.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace patuh {

struct parse_limits {
    std::size_t max_file_bytes = 4 * 1024 * 1024;
    std::size_t max_line_bytes = 4096;
    std::size_t max_files = 256;     // files in one rule set, includes counted
    std::size_t max_rules = 10'000;  // rule and moratorium blocks in one file
};

// Parses one file already in `sources`. Returns the items it could read; the
// tree is complete only when no error was added to `diags`.
ast::file parse_file(const source_set& sources, std::uint32_t index, diagnostic_list& diags,
                     const parse_limits& limits = {});

// A rule set on disk or in memory: a list of files after includes are followed.
struct loaded_rules {
    source_set sources;
    std::vector<ast::file> files;
    diagnostic_list diags;
};

// Reads FILE.patuh paths and folders (every *.patuh in a folder, sorted by name),
// follows `include` relative to the including file, refuses includes that leave
// the folder of the first file given (or of its folder argument), and parses.
loaded_rules load_rules(const std::vector<std::filesystem::path>& paths, const parse_limits& limits = {});

// The rule sets compiled into the binary (see rules/). Names are "rules/<set>/<file>".
struct embedded_file {
    const char* name;
    const char* text;
};
const std::vector<embedded_file>& embedded_rule_files();
loaded_rules load_embedded_rules(const parse_limits& limits = {});

}  // namespace patuh
