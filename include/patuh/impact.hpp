#pragma once
// The effect of a draft rule set on a log (`patuh impact`): the log audited
// once with the rules in force and once with the draft, and the two reports
// compared. A finding of one is the same as a finding of the other when both
// were opened on the same post (region, unit, position) by the same record
// (input, line, event id) and are of the same sort (a change judged, or the
// same check); among several such, those of the same rule id pair first.
// Paired findings that differ in what an auditor reads (rule, severity,
// dates, requirement, remedy) are changed; the others are new or gone.

#include <patuh/report.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace patuh {

inline constexpr std::string_view impact_schema_version = "patuh-impact/1";

// What differs between two paired findings (bits of changed_finding::differs).
enum class finding_difference : std::uint8_t {
    rule = 1,       // another rule id
    severity = 2,
    opened = 4,     // the day it opened (an approval awaited runs out later, or not)
    closed = 8,     // the day it closed, or why, or whether it did
    required = 16,  // the requirement stated (authority, timing)
    remedy = 32,
};
inline constexpr std::size_t finding_difference_count = 6;
std::string_view to_string(finding_difference d);  // "rule", "severity", ...

struct changed_finding {
    std::size_t in_force = 0;  // index into the in-force report's findings
    std::size_t draft = 0;     // index into the draft report's findings
    std::uint8_t differs = 0;  // finding_difference bits
    bool has(finding_difference d) const { return (differs & static_cast<std::uint8_t>(d)) != 0; }
};

// A region whose standing differs: its state in each report (null: the
// report has no state for it, as for a region nothing was judged in).
struct region_change {
    const region_state* in_force = nullptr;
    const region_state* draft = nullptr;
};

// A record rejected by one rule set and not the other, or for another
// reason: its index in each report's rejected records.
struct rejection_change {
    std::optional<std::size_t> in_force;
    std::optional<std::size_t> draft;
};

// How many findings new, gone and changed one rule accounts for: `in_force`
// and `draft` are the rule ids on each side (empty on the side without the
// finding: a new finding's rule is the draft's only).
struct rule_change {
    std::string in_force;
    std::string draft;
    std::uint64_t count = 0;
};

struct impact {
    std::vector<std::size_t> added;        // draft findings unpaired, in the draft report's order
    std::vector<std::size_t> removed;      // in-force findings unpaired, in the in-force report's order
    std::vector<changed_finding> changed;  // in the draft report's order
    std::uint64_t same = 0;                // paired findings that do not differ
    std::vector<region_change> regions;    // the draft report's order, then regions only in force
    std::vector<rejection_change> rejections;  // by input, then line
    // The findings new, gone and changed by rule: most first, then by ids.
    std::vector<rule_change> by_rule;
    bool any() const {
        return !added.empty() || !removed.empty() || !changed.empty() || !regions.empty() || !rejections.empty();
    }
};

// Compares two audits of the same inputs. The reports' finding lists are
// read in order, one region at a time: memory holds one region's findings
// of each side (and the indices of those new, gone and changed), not the
// lists; the rejected records take 40 bytes each while they are compared.
impact compare_audits(const audit_report& in_force, const rule_set& in_force_rules, const audit_report& draft,
                      const rule_set& draft_rules);

// One side of a comparison as the reports show it.
struct impact_side {
    const audit_report& report;
    const rule_set& rules;
    std::vector<std::string> rule_paths;  // as given; empty: the rules shipped in the binary
};

struct impact_options {
    lang language = lang::en;
    bool color = false;
};

// Text: the counts, then the new, gone and changed findings, the regions
// whose standing changes and the records rejected differently.
void write_impact_text(std::ostream& out, const impact& found, const impact_side& in_force, const impact_side& draft,
                       const impact_options& options);
// CSV as the audit's CSV report writes it (docs/report.md): one row a
// finding new, gone or changed, in that order, each side's rule, severity,
// dates, requirement and remedy in a pair of columns.
// `range` and `place` as for write_csv (patuh/report.hpp): the rows numbered
// in the order written, new, then gone, then changed.
void write_impact_csv(std::ostream& out, const impact& found, const impact_side& in_force, const impact_side& draft,
                      lang language, char delimiter = ',', finding_range range = {}, csv_row_place* place = nullptr);
// The rows of the CSV report: one a finding new, gone or changed.
inline std::size_t impact_csv_rows(const impact& found) {
    return found.added.size() + found.removed.size() + found.changed.size();
}
// JSON, schema patuh-impact/1 (docs/impact.md); findings as in patuh-audit/1.
void write_impact_json(std::ostream& out, const impact& found, const impact_side& in_force, const impact_side& draft,
                       lang language);

}  // namespace patuh
