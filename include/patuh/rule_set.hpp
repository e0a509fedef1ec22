#pragma once
// The compiled rule set: names resolved to indices, conditions as bit sets,
// rules indexed by rank and action. This is what evaluation reads; it never
// looks at the syntax tree.

#include <patuh/ast.hpp>
#include <patuh/date.hpp>
#include <patuh/diagnostic.hpp>
#include <patuh/i18n.hpp>
#include <patuh/parse.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace patuh {

// Personnel actions a rule can govern. `inaugurate` installs an approved person.
enum class action : std::uint8_t { appoint, dismiss, transfer, acting, inaugurate };
inline constexpr std::size_t action_count = 5;
std::string_view to_string(action a);
std::optional<action> parse_action(std::string_view s);

// Why a post fell vacant; `definitive` is derived: an acting holder made definitive.
enum class reason : std::uint8_t { death, retirement, resignation, arrest, definitive };
inline constexpr std::size_t reason_count = 5;
std::string_view to_string(reason r);
std::optional<reason> parse_reason(std::string_view s);
// Whether a change of this action can be judged with reason `definitive`: only an
// appointment, transfer or inauguration moves the acting holder in (judged_reason).
bool can_make_definitive(action a);

enum class severity : std::uint8_t { info, low, medium, high, critical };
std::string_view to_string(severity s);
std::optional<severity> parse_severity(std::string_view s);

using index_t = std::uint16_t;
inline constexpr index_t no_index = 0xFFFF;

struct authority {
    std::string id;
    std::string title;
    std::vector<std::string> aliases;
    index_t parent = no_index;  // the authority directly above
    span where;
};

struct rank {
    std::string id;
    std::string title;
    std::vector<std::string> aliases;
    span where;
};

struct unit {
    std::string id;
    std::string title;
    std::vector<std::string> aliases;
    span where;
};

// Which region codes a level covers: "PP" (provinces) or "PP.a-b" (regencies/cities numbered a..b).
struct level {
    std::string id;
    std::string title;
    bool province = false;
    int from = 0;
    int to = 0;
    span where;
};

struct service {
    std::string id;
    std::string title;
    span where;
};

// A set of small indices (ranks, levels, units, ...); empty `any` means "every".
struct index_set {
    bool any = true;
    std::vector<index_t> members;  // sorted
    bool contains(index_t i) const;
    bool subset_of(const index_set& other) const;  // this matches no more than other
};

enum class rule_kind : std::uint8_t {
    requirement,    // needs an approval (or is allowed / forbidden)
    moratorium,     // a window that restricts changes, on top of requirements
    double_post,    // check double_post
    vacancy,        // check vacancy
    not_installed,  // check not_installed within N days
};

enum class demand : std::uint8_t { approval, allowed, forbidden };

// Dates of a region's own calendar that a window is measured from.
enum class anchor : std::uint8_t {
    inauguration,  // a regional head was inaugurated (event head_inaugurated)
    candidates,    // the election's candidates were determined (event election)
    term_end,      // the end of the regional head's term (event election)
};
std::string_view to_string(anchor a);
std::optional<anchor> parse_anchor(std::string_view s);

// `when during ...`: the rule judges a change only inside this window of the
// change's region.
struct region_window {
    bool caretaker = false;  // while a caretaker (Pj) or acting head leads the region
    int amount = 0;
    bool months = true;
    bool before = false;
    anchor from = anchor::inauguration;
    std::optional<anchor> until;  // end of the window (same event), else amount after / the anchor itself
};

// What the events told about a region's heads and elections.
struct region_calendar {
    struct election {
        date candidates;
        date term_end;
    };
    std::vector<date> inaugurations;
    std::vector<election> elections;
    std::vector<period> caretakers;  // open-ended until the next inauguration
    // Whether `on` falls in the window `w` for some fact of this calendar.
    bool within(const region_window& w, date on) const;
    // The windows `w` that some fact opens, as periods.
    std::vector<period> windows(const region_window& w) const;
};

struct route {
    std::vector<index_t> chain;  // authorities, in the order a proposal passes them
    index_set levels;
};

struct rule {
    std::string id;
    std::string title;
    std::uint16_t policy = 0;  // index into rule_set::policies
    rule_kind kind = rule_kind::requirement;
    period in_force;         // its own period within its policy's (empty when the two do not meet)
    period stated_in_force;  // as the rule states it (`in force`, a moratorium's window); else its policy's
    span in_force_where;     // where it is stated; the rule's id when it states none
    // conditions
    index_set ranks, levels, units;
    std::array<bool, action_count> actions{};  // all true when not restricted
    bool any_action = true;
    std::vector<std::string> positions;  // normalised; empty: every position
    std::array<bool, reason_count> exempt{};         // reasons this rule does not judge
    std::array<span, reason_count> exempt_where{};   // each exempted reason's name in `exempt`
    bool has_reason_filter = false;                   // `when reason ...`: judges only these reasons
    std::array<bool, reason_count> reason_filter{};
    bool vacant_only = false;  // `when vacant`: judges only changes of a post nobody holds de facto
    // requirement
    demand need = demand::approval;
    index_t authority = no_index;
    bool or_higher = false;
    ast::timing_kind timing = ast::timing_kind::on_or_before;
    int days = 0;  // within N days; for not_installed, the grace period
    std::vector<route> routes;
    int lead_days = 0;
    severity sev = severity::medium;
    std::string citation;
    bilingual message;
    std::vector<std::uint32_t> overrides;  // rules this one overrides (explicit or more specific)
    std::optional<region_window> window;   // `when during ...`: a restriction judged on its own
    span where;

    bool applies_to_action(action a) const { return any_action || actions[static_cast<std::size_t>(a)]; }
    // Whether its conditions on posts take in a post of this unit, rank, level
    // and position (normalised): what narrows a check.
    bool covers_post(index_t unit, index_t rank, index_t level, std::string_view position) const;
    const route* route_for(index_t level) const;
};

struct policy {
    std::string id;
    std::string title;
    period in_force;
    std::string citation;
    span where;
};

struct stage {
    std::string id;
    ast::trigger_kind trigger = ast::trigger_kind::finding;
    int count = 1;
    bilingual label;
};

// Why a rule does not apply to a change (none: it applies).
enum class mismatch : std::uint8_t { none, out_of_force, rank, action, level, unit, reason, vacant, position, window };
std::string_view to_string(mismatch m);

// The parts of match keys that depend on the date, for the queries of one
// calendar (rule_set::key_dates_of): from a span's start until the next
// span's, they are its epoch and windows. One array, so that a lookup reads
// the dates and what they give from the same cache lines.
struct key_dates {
    struct span {
        date start;
        std::uint32_t epoch = 0;
        std::uint64_t windows = 0;
    };
    std::vector<span> spans;  // sorted by start; the first starts on date::min()
};

struct match_query {
    date on;
    index_t rank = no_index;
    action act = action::appoint;
    index_t level = no_index;
    index_t unit = no_index;
    std::string_view position;  // normalised
    std::optional<reason> why;  // the event's vacancy reason, if any
    // Whether the post has no de facto holder before the change; nothing:
    // unknown, and `when vacant` is taken to hold (as `calendar` below).
    std::optional<bool> vacant;
    // The region's calendar, for `when during` windows; nullptr: every window
    // is taken to hold (whole-rule-set analysis, the rules table).
    const region_calendar* calendar = nullptr;
    // The same calendar's windows as periods, by rule index (rule_set::window_periods),
    // so that a query does not compute them again; nullptr: computed from `calendar`.
    const std::vector<std::vector<period>>* windows = nullptr;
    // The same calendar's key_dates, so that key_of looks at no window;
    // nullptr (or empty): key_of looks at them.
    const key_dates* dates = nullptr;
};

// What candidates() and applicable() read of a query, in three words
// (rule_set::key_of): queries with equal keys have the same candidates and the
// same applicable rules, so that a caller may remember a list by its key.
struct match_key {
    std::uint64_t post = 0;     // rank, action, level, unit, reason, vacancy (bit positions: key_of)
    std::uint64_t moment = 0;   // the date's in-force epoch and the position's class
    std::uint64_t windows = 0;  // bit j: whether the date is in the window of the j-th rule that has one
    bool operator==(const match_key&) const = default;
};

using name_index = std::unordered_map<std::string, index_t>;

class rule_set {
public:
    std::vector<policy> policies;
    std::vector<authority> authorities;
    std::vector<rank> ranks;
    std::vector<unit> units;
    std::vector<level> levels;
    std::vector<service> services;
    std::vector<rule> rules;
    std::vector<stage> ladder;  // lowest stage first
    source_set sources;

    // Name lookups accept ids and aliases, case-insensitively; "II.b", "IIb", "eselon II".
    index_t find_rank(std::string_view name) const;
    index_t find_authority(std::string_view name) const;
    index_t find_unit(std::string_view name) const;
    index_t find_service(std::string_view name) const;
    index_t find_level(std::string_view name) const;
    // Level of a region code ("73" → province, "73.73" → kota), no_index when no level covers it.
    index_t level_of_region(std::string_view code) const;

    // True when `granted` is `required` or (when or_higher) one of its superiors.
    bool satisfies(index_t granted, index_t required, bool or_higher) const;

    // Requirement and moratorium rules that apply to the query, after overrides;
    // ordered by rule index.
    std::vector<std::uint32_t> applicable(const match_query& q) const;
    // The same into `out` (replacing its contents), reusing its storage.
    void applicable(const match_query& q, std::vector<std::uint32_t>& out) const;
    // Every rule whose conditions match, before overrides and exemptions (for explain).
    std::vector<std::uint32_t> candidates(const match_query& q) const;
    // The same into `out` (replacing its contents), reusing its storage.
    void candidates(const match_query& q, std::vector<std::uint32_t>& out) const;
    // The key of a query (match_key); nothing when the rule set has more
    // rules with a window than a key holds (64).
    std::optional<match_key> key_of(const match_query& q) const;
    // The key_dates of the queries with calendar `c` (nullptr: none) and its
    // windows by rule (window_periods), into `out` (replacing its contents,
    // reusing its storage); empty when key_of gives nothing.
    void key_dates_of(const region_calendar* c, const std::vector<std::vector<period>>& windows, key_dates& out) const;
    // The first condition of `r` that the change does not meet.
    mismatch test(const rule& r, const match_query& q) const;
    // The candidate that sets rule `i` aside by overriding it, if any.
    std::optional<std::uint32_t> overridden_by(std::uint32_t i, const std::vector<std::uint32_t>& found) const;
    // Whether rule `j` sets rule `i` aside (same kind, and `j` overrides `i`).
    bool sets_aside(std::uint32_t j, std::uint32_t i) const;
    // For every rule with a `when during` window, the periods the calendar's
    // facts open (region_calendar::windows), into `out` by rule index (replacing
    // its contents, reusing its storage); empty for the other rules.
    void window_periods(const region_calendar& c, std::vector<std::vector<period>>& out) const;
    // The check of a kind consulted on a date for a post of this unit, rank,
    // level and position (normalised): the first declared of those in force
    // that cover the post (rule::covers_post), if any.
    const rule* check_rule(rule_kind kind, date on, index_t unit, index_t rank, index_t level,
                           std::string_view position) const;

    // Whether some rule covers this unit at all (posts of other units are not tracked).
    bool covers_unit(index_t unit) const;

    void build_index();  // called by compile()

private:
    // Names (lookup keys of ids, aliases and titles) to indices, for find_*.
    name_index rank_names_, authority_names_, unit_names_, service_names_, level_names_;
    // rules by (rank, action); the last slot of each dimension holds rules with "any".
    std::vector<std::vector<std::uint32_t>> by_rank_action_;
    std::vector<std::uint32_t> checks_;
    // For key_of: the requirements and moratoria with a `when during` window.
    std::vector<std::uint32_t> windowed_;
    // For key_of: the days on which some requirement or moratorium comes into
    // or goes out of force (a period's `from` and the day after its `until`),
    // sorted; between two of them every such rule is in force or not throughout.
    std::vector<date> epoch_starts_;
    // For key_of: every position that a requirement or moratorium names, sorted.
    std::vector<std::string> positions_;
    // Per unit: whether some requirement or moratorium rule covers it (covers_unit).
    std::vector<bool> covered_units_;

    // Whether the query's date falls in the window of `r` (which has one) in its calendar.
    bool in_window(const rule& r, const match_query& q) const;
    // For key_of: the epoch of a date (how many epoch starts it is on or after),
    // and bit j: whether the query's date is in the window of windowed_[j].
    std::uint32_t epoch_of(date on) const;
    std::uint64_t window_bits(const match_query& q) const;
};

// Normalises a position title for comparison: lower case, single spaces, trimmed.
std::string normalise_position(std::string_view s);
// The same into `out` (replacing its contents), reusing its storage.
void normalise_position(std::string_view s, std::string& out);
// Whether normalise_position(s) is `key`, found without making it.
bool normalises_to(std::string_view s, std::string_view key);

struct compile_result {
    std::optional<rule_set> rules;  // absent when there were errors
    diagnostic_list diags;
    source_set failed_sources;      // the files, when `rules` is absent
    const source_set& sources() const { return rules ? rules->sources : failed_sources; }
};

// Resolves names, checks the rule set and builds the index.
// Takes the loaded files (and their diagnostics) over.
compile_result compile(loaded_rules&& loaded);

}  // namespace patuh
