#pragma once
// One diagnostic model for rule files; rendered for people (text) or tools (JSON).
// Each diagnostic has a stable code from the table below; tests assert codes
// and spans, not wording. The table is documented in docs/diagnostics.md.

#include <nlohmann/json_fwd.hpp>
#include <patuh/i18n.hpp>
#include <patuh/source.hpp>

#include <array>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace patuh {

enum class severity_level { error, warning };

enum class diag_code {
    // syntax and files (E01xx)
    expected_token,          // E0101
    unterminated_string,     // E0102
    invalid_date,            // E0103
    include_outside_folder,  // E0104
    include_not_found,       // E0105
    include_cycle,           // E0106
    limit_exceeded,          // E0107
    unreadable_file,         // E0108
    // names and structure (E02xx)
    unknown_name,            // E0201
    duplicate_declaration,   // E0202
    overlapping_rule_period, // E0203
    authority_cycle,         // E0204
    empty_period,            // E0205
    repeated_statement,      // E0206
    missing_requirement,     // E0207
    invalid_level_codes,     // E0208
    alias_conflict,          // E0209
    conflicting_statements,  // E0210
    // rule tests (E05xx)
    test_without_date,       // E0501
    rejected_test_event,     // E0502
    test_without_expectation,// E0503
    // warnings (W03xx)
    missing_citation,        // W0301
    missing_message,         // W0302
    missing_severity,        // W0303
    // analysis of the whole rule set (W04xx, patuh check)
    coverage_gap,            // W0401
    rule_overlap,            // W0402
    rule_shadowed,           // W0403
    unused_name,             // W0404
    ineffective_period,      // W0405
    ineffective_exemption,   // W0406
    count_
};

struct diag_info {
    diag_code code;
    std::string_view id;  // "E0101"
    severity_level level;
    std::string_view summary_en;
    std::string_view summary_id;
};

// The complete table, in enum order (checked by static_assert in diagnostic.cpp).
extern const std::array<diag_info, static_cast<std::size_t>(diag_code::count_)> diag_table;
const diag_info& info(diag_code code);

struct diagnostic {
    diag_code code;
    span where;
    bilingual message;            // the specific text, e.g. "unknown authority 'mentri'"
    std::string expected;         // for syntax errors: what the parser expected
    std::string suggestion;       // "did you mean 'menteri'?" material: the candidate name
    severity_level level() const { return info(code).level; }
};

struct diagnostic_list {
    std::vector<diagnostic> items;
    void add(diagnostic d) { items.push_back(std::move(d)); }
    bool has_errors() const;
    std::size_t error_count() const;
    std::size_t warning_count() const;
};

// error[E0201]: rules/x.patuh:12:7: unknown authority 'mentri'
//    12 |   requires mentri
//       |            ^^^^^^ did you mean 'menteri'?
std::string render_text(const diagnostic& d, const source_set& sources, lang l, bool color);
std::string render_text(const diagnostic_list& list, const source_set& sources, lang l, bool color);
nlohmann::json render_json(const diagnostic_list& list, const source_set& sources, lang l);

// Closest candidate by edit distance, or "" when nothing is close enough; of
// equally close ones, the first.
std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates);
std::string did_you_mean(std::string_view name, std::span<const std::string_view> candidates);

}  // namespace patuh
