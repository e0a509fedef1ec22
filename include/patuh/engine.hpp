#pragma once
// The two-view engine. For every covered post it keeps who the region says
// holds it (de facto) and who the centre recognises (de jure). A finding is a
// span of time in which the two differ on a covered post, opened by the event
// that made them differ and closed when they agree again.
// Memory grows with posts and the findings still open, never with the number
// of events (closed findings wait in the finding list's temporary file).

#include <patuh/by_value_iterator.hpp>
#include <patuh/event.hpp>
#include <patuh/findings.hpp>
#include <patuh/rule_set.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace patuh {

// Why an approval does or does not satisfy a rule for a change (none: it does).
enum class approval_fault : std::uint8_t {
    none,
    authority,  // not the authority the rule requires (nor a higher one where allowed)
    person,     // it names another person
    position,   // it names another post
    late,       // dated after the rule's deadline
};
std::string_view to_string(approval_fault f);
// `late_ok`: the change is already in place and a late approval closes it from its date.
approval_fault check_approval(const rule_set& rules, const rule& r, const approval& a, std::string_view subject_nip,
                              std::string_view position_key, date effective, bool late_ok);

// The reason a change of a post is judged with: the event's own, or
// `definitive` when the acting holder (`facto`) is made the definitive one.
std::optional<reason> judged_reason(const event& e, const std::optional<holder>& facto);

// The two views of one post, for explanations.
struct post_view {
    std::optional<holder> facto;
    std::optional<holder> jure;
    bool jure_known = false;
    index_t rank = no_index;  // the post's rank, as the events gave it
};

// A dated mark on a region's timeline (recorded with engine_options::history).
enum class mark_kind : std::uint8_t { warning, cutoff, restore };
struct region_mark {
    date on;
    mark_kind kind = mark_kind::warning;
    std::optional<date> deadline;   // warning: its deadline
    std::vector<index_t> services;  // cutoff/restore: the services named (restore: empty means all)
};

struct region_state {
    std::string code;
    index_t level = no_index;
    int warnings = 0;                 // warnings received while findings were open
    std::optional<date> last_warning;
    std::optional<date> deadline;     // of the last warning
    std::vector<index_t> cut;         // services currently cut
    std::optional<date> cut_since;
    int cutoffs = 0;                  // cutoff events ever recorded
    std::optional<date> restored;     // last restore
    // computed by finish()
    int stage = -1;                   // index into rule_set::ladder, -1: none
    int open_findings = 0;
    int open_notices = 0;
    severity worst = severity::info;
    std::int32_t longest_open_days = 0;
    std::vector<region_mark> marks;  // warnings, cutoffs and restores, when engine_options::history
};

// The two views of a post from one day on (recorded with engine_options::history).
struct view_change {
    date on;
    std::optional<holder> facto;
    std::optional<holder> jure;
    bool jure_known = false;
};

// A post's views over time, in date order; one entry per day on which they changed.
struct post_history {
    std::string region;
    index_t unit = no_index;
    std::string position;  // as in the post's findings
    std::vector<view_change> changes;
};

// The posts that have findings and their views over time (recorded with
// engine_options::history), sorted by region, unit and position. While an
// audit runs, each post's views are noted as they change (note()); a view is
// written out once a later day's follows it, each person as text only where
// the view before named someone else, into chunks of about `chunk_bytes` a
// post that are stored as records (engine/common/record_pages.hpp: in memory
// up to `memory_bytes`, beyond it in a temporary file), each chunk naming the
// post's chunk before it. Memory then grows with the number of posts, not
// with their changes or the people they name. A post's post_history is made
// from its chunks when it is read (`histories[i]`, iteration by value), so
// that a report reads only the posts it draws. Copies share the stored
// chunks. Not safe to use from two threads.
class post_histories {
public:
    // 2 MiB: pages of 8 KiB. Chunks of 256 bytes: 11,000 posts keep 3 MB of
    // chunks being filled, and a post of 500 changes is read in about 80.
    static constexpr std::size_t default_memory_bytes = std::size_t{2} << 20;
    static constexpr std::size_t default_chunk_bytes = 256;
    // A post's timeline while views are noted: none yet.
    static constexpr std::uint32_t no_timeline = 0xffffffff;

    explicit post_histories(std::size_t memory_bytes = default_memory_bytes,
                            std::size_t chunk_bytes = default_chunk_bytes);

    // Notes a post's views at the end of a change on day `on`: the last state
    // of a day counts, and a day that leaves the views as they were adds
    // nothing. `timeline` is the post's timeline, set by its first note (start
    // with no_timeline). Days come in order for each timeline.
    void note(std::uint32_t& timeline, date on, const std::optional<holder>& facto, const std::optional<holder>& jure,
              bool jure_known);
    // Adds the next post (in region, unit, position order) with the views
    // noted as `timeline` (no_timeline: none).
    void add(std::string region, index_t unit, std::string position, std::uint32_t timeline);
    // Ends noting: the views of the timelines not added are dropped.
    void stop_noting();

    std::size_t size() const { return posts_.size(); }
    bool empty() const { return posts_.empty(); }
    post_history operator[](std::size_t i) const;
    const std::string& region(std::size_t i) const { return posts_[i].region; }
    index_t unit(std::size_t i) const { return posts_[i].unit; }
    const std::string& position(std::size_t i) const { return posts_[i].position; }
    by_value_iterator<post_histories, post_history> begin() const { return {this, 0}; }
    by_value_iterator<post_histories, post_history> end() const { return {this, size()}; }

private:
    struct storage;  // the stored chunks, and the timelines being noted
    struct entry {
        std::string region;
        index_t unit = no_index;
        std::string position;
        std::uint64_t last_chunk = 0;  // the post's last stored chunk (storage's no_chunk: no views)
    };
    std::size_t memory_bytes_;
    std::size_t chunk_bytes_;
    std::shared_ptr<storage> storage_;  // made by the first note()
    std::vector<entry> posts_;
};

// Changes of holders (appointments, dismissals, transfers, acting
// appointments, inaugurations) judged after a later one in another post: the
// log is not in date order across posts. The engine judges in file order, so
// what links one person's changes in two posts (a double post, the post a
// move leaves empty) was judged as the file ordered them, not as the dates
// did. (On one post such a change is refused instead: R0120.)
struct date_order_breaks {
    std::uint64_t count = 0;
    // The first such change: where it was read, its event's id, its date and
    // the latest date of a change judged before it.
    std::string source;
    std::uint64_t line = 0;
    std::string id;
    date on;
    date after;
};

// Records that say again what the record just before them about the same
// post (a change of holders) or the same region (a warning, a cutoff, a
// restore) already said: logs merged from exports that overlap. Each is
// judged a duplicate and not applied again, so that a double post is not
// opened twice nor a region's letter counted twice; they count as evaluated.
// A duplicate says the same (kind, date, person, decree, approvals; for a
// letter its number, issuer, deadline and services) under the same id, or
// under another id when it names its decree or letter by number.
struct duplicate_records {
    std::uint64_t count = 0;
    // The first duplicate and the record it repeats.
    std::string source;
    std::uint64_t line = 0;
    std::string id;
    std::string first_source;
    std::uint64_t first_line = 0;
};

struct audit_result {
    date as_of;
    // False when no event was judged and no report date was given: there is
    // then no report date, and the reports say so instead of showing as_of.
    bool as_of_known = true;
    std::uint64_t evaluated = 0;
    std::uint64_t after_as_of = 0;   // read and valid, dated after --as-of: not judged
    date_order_breaks out_of_date_order;  // count 0: the changes came in date order
    duplicate_records duplicates;         // count 0: none
    finding_list findings;           // sorted: region by risk, then opened, then seq
    std::vector<region_state> regions;  // worst first
    // Per rule (index into rule_set::rules): the changes it judged, or for a
    // check rule the cases it examined. Tells which rules a log exercised.
    std::vector<std::uint64_t> judged;
    // With engine_options::history: the posts that have findings, sorted by
    // region, unit and position.
    post_histories histories;
};

struct engine_options {
    std::optional<date> as_of;  // default: the latest event date
    // Record each post's holder changes and each region's warnings, cutoffs
    // and restores, for timelines. Costs memory per change; off by default.
    bool history = false;
    // Bytes of findings kept in memory; the rest wait in a temporary file.
    std::size_t findings_in_memory = finding_list::default_memory_bytes;
    // With `history`: bytes of stored timeline chunks kept in memory (the
    // rest wait in a temporary file), and the size a post's chunk grows to
    // before it is stored (post_histories).
    std::size_t histories_in_memory = post_histories::default_memory_bytes;
    std::size_t history_chunk_bytes = post_histories::default_chunk_bytes;
    // The regions whose findings, states and timelines the result holds
    // (region_selected); empty: every region. Every event is still judged,
    // so that people moving between regions are followed.
    std::vector<std::string> regions{};
};

// Whether `selection` (region codes; empty: all) takes in region `code`: a
// code selects itself, a province code ("73") also its kabupaten and kota
// ("73.01", "73.71").
bool region_selected(const std::vector<std::string>& selection, std::string_view code);

class engine {
public:
    engine(const rule_set& rules, engine_options options = {});
    ~engine();
    engine(const engine&) = delete;
    engine& operator=(const engine&) = delete;

    // Judges one event. Returns false and fills `why` when the event cannot be
    // placed (for example dated before an event already applied to its post).
    bool add(const event& e, rejection& why);
    // Of the events added so far: those judged, and those dated after
    // engine_options::as_of (not judged). A caller reading several inputs
    // tells from them what each input gave.
    std::uint64_t evaluated() const;
    std::uint64_t after_as_of() const;
    audit_result finish();

    // The post's two views now, or nothing when no event has touched it.
    std::optional<post_view> post_state(const std::string& region, index_t unit, std::string_view position) const;
    // What the events so far told about a region's heads and elections (empty when nothing).
    const region_calendar& calendar(const std::string& region) const;

private:
    struct state;
    std::unique_ptr<state> s_;
};

}  // namespace patuh
