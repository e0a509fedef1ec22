#pragma once
// `patuh plan`: a planned rotation judged against the rules and the current
// state before the decree is signed. Each move becomes the personnel-change
// event it would be on its effective date and goes through the same engine
// as an audit; the plan adds what an HR officer needs on top: which approval
// from whom, through whom and by when, what the plan does to the other posts,
// a verdict per move, the letters to send, and the posts before and after
// (docs/plan.md).

#include <nlohmann/json_fwd.hpp>
#include <patuh/date.hpp>
#include <patuh/engine.hpp>
#include <patuh/event.hpp>
#include <patuh/i18n.hpp>
#include <patuh/rule_set.hpp>

#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace patuh {

inline constexpr std::string_view plan_schema_version = "patuh-plan/1";

// One side of a move: a post (title, unit, rank) in the plan's region.
struct plan_post {
    std::string title;      // as written; empty: none (entering or leaving the agency's posts)
    std::string unit_text;  // as written
    index_t unit = no_index;
    std::string rank_text;
    index_t rank = no_index;  // no_index: staff or functional, not covered
    bool rank_stated = false; // the row gives the rank (else the state's rank for the post is used, if known)
    bool covered = false;     // a unit some rule covers and a declared rank
};

// One row of a rotation plan.
struct plan_move {
    std::string source;
    std::uint64_t row = 0;  // CSV and JSON Lines: the line; JSON array: the element, from 1
    std::string id;         // the row's own id, else "row N"
    person who;
    std::string region;
    index_t level = no_index;
    plan_post from, to;
    action act = action::transfer;
    date effective;
    std::optional<reason> why;
    bool concurrent = false;          // the person keeps the post left too (rangkap)
    std::vector<approval> approvals;  // approvals already held
};

// A row that cannot be planned, with where and why (codes P01xx, docs/diagnostics.md).
struct plan_rejection {
    std::string source;
    std::uint64_t row = 0;
    std::string code;
    std::string field;
    bilingual reason;
};

struct plan_input {
    std::vector<plan_move> moves;
    std::vector<plan_rejection> rejected;
    std::uint64_t rows = 0;          // rows read, rejected ones included
    std::optional<plan_rejection> fatal;  // the file as a whole cannot be read (bad header, broken JSON)
};

enum class plan_format { automatic, csv, json };

struct plan_limits {
    std::size_t max_bytes = 16 << 20;  // a JSON plan is read whole
    std::size_t max_row_bytes = 1 << 20;
};

// Reads a plan: CSV (headers in English or Indonesian), a JSON array of move
// objects, or JSON Lines; automatic looks at the first byte that is not blank.
plan_input read_plan(std::istream& in, std::string_view source, const rule_set& rules,
                     plan_format format = plan_format::automatic, const plan_limits& limits = {});

// ---- the judgement ---------------------------------------------------------------

enum class plan_verdict : std::uint8_t { ready, needs_approval, blocked };
std::string_view to_string(plan_verdict v);

// How a rule that judges one side of a move stands.
enum class requirement_status : std::uint8_t {
    allowed,     // the rule needs no approval
    held,        // an approval the move already carries satisfies it
    recognised,  // the move returns the holder the centre recognises
    needed,      // an approval must be obtained
    forbidden,   // no approval can make it lawful
};
std::string_view to_string(requirement_status s);

struct plan_requirement {
    std::uint32_t rule = 0;
    bool leaving = false;  // judges the post the person leaves (else the post they take)
    requirement_status status = requirement_status::needed;
    std::optional<date> send_by;  // effective date minus the rule's lead time (needed approvals with a lead time)
};

// A moratorium or a `when during` window the move falls in.
struct plan_window {
    std::uint32_t rule = 0;
    period span;                       // the window
    std::optional<reason> exempted;    // the move's reason exempts it
};

enum class effect_kind : std::uint8_t {
    vacated,        // the post left behind has nobody until `until` (or the end of the plan)
    displaced,      // the post taken had a holder who gets no other post in the plan
    displaced_early,// the holder of the post taken leaves it only later in the plan
    ends_acting,    // the post taken had an acting holder (Plt/Plh)
    double_post,    // the person ends up holding two covered posts
    closes_finding, // the move ends a divergence already open in the state
    handed_over,    // the post left is taken on the same day by another row, which is judged for it
};
std::string_view to_string(effect_kind k);

struct plan_effect {
    effect_kind kind = effect_kind::vacated;
    std::string post;                 // the post concerned
    bool head = false;                // vacated: the post is of the highest declared rank
    std::optional<person> other;      // displaced: the holder
    std::optional<date> until;        // vacated: filled again on
    std::uint64_t by_row = 0;         // vacated, handed_over: the row that fills it; displaced_early: the holder's own move
    std::uint32_t rule = 0;           // closes_finding: the finding's rule
};

enum class conflict_kind : std::uint8_t {
    not_holder,      // the state shows someone else (or nobody) in the post the person leaves
    moved_elsewhere, // an earlier row moves the person to another post
    same_post,       // another row fills the same post on the same date
    same_person,     // another row moves the same person on the same date
    refused,         // the engine cannot place the change (dated before the post's last recorded change)
    double_post,     // the person would hold two covered posts
};
std::string_view to_string(conflict_kind k);

struct plan_conflict {
    conflict_kind kind = conflict_kind::not_holder;
    std::uint64_t other_row = 0;       // same_post, same_person, moved_elsewhere
    std::optional<person> holder;      // not_holder: who the state shows (nothing: nobody)
    bool on_record = false;            // not_holder: the state knows the post
    std::string post;                  // moved_elsewhere: where the earlier row puts the person
    bilingual reason;                  // refused: the engine's reason
};

struct move_result {
    plan_move move;
    bool covered = false;       // some rule judges one of its sides
    bool leaves_post = false;   // the person's covered from-post changes hands
    bool assumed_holder = false;  // the state did not know the from-post: the row is taken at its word
    std::vector<plan_requirement> requirements;
    std::vector<plan_window> windows;
    std::vector<plan_effect> effects;
    std::vector<plan_conflict> conflicts;
    std::vector<std::size_t> findings;  // indices into plan_result::findings opened by this move
    std::optional<date> send_by;        // the earliest deadline of its needed approvals
    bool late = false;                  // that deadline is before `today`
    std::optional<date> earliest;       // late: the earliest effective date the lead times still allow
    bool no_lead_time = false;          // some needed approval's rule gives no lead time
    plan_verdict verdict = plan_verdict::ready;
};

// Moves linked through their posts: a chain A → B → C, a swap, or a rotation ring.
struct plan_chain {
    enum class shape : std::uint8_t { chain, swap, ring } kind = shape::chain;
    std::vector<std::string> posts;    // in the order people move through them
    std::vector<std::size_t> moves;    // indices into plan_result::moves, in the same order
};

// One letter: a proposal to one authority, through one route, by one date.
struct plan_letter {
    index_t to = no_index;             // the authority that approves
    std::vector<index_t> route;        // the whole route, sender first
    std::optional<date> send_by;       // nothing: the rules give no lead time
    date needed_by;                    // the earliest effective date among its moves
    std::vector<std::size_t> moves;    // indices into plan_result::moves
    std::vector<std::uint32_t> rules;  // the rules it answers
};

struct post_row {
    std::string post;
    std::optional<holder> before;
    bool before_known = false;
    bool before_recognised = false;
    std::optional<holder> after;
    bool after_recognised = false;
};

struct plan_options {
    date today;
    bool assume_approved = false;
};

struct plan_result {
    plan_options options;
    std::vector<std::string> regions;
    std::uint64_t state_read = 0;
    std::uint64_t state_rejected = 0;
    std::vector<rejection> state_rejections;
    std::vector<finding> findings;       // the engine's findings from the state and the plan
    std::vector<std::size_t> divergent;  // findings open when the plan starts (from the state)
    std::vector<move_result> moves;      // in plan order
    std::vector<plan_chain> chains;
    std::vector<plan_letter> letters;    // grouped by addressee, each group in the order to send
    std::vector<post_row> posts;
    std::uint64_t rows = 0;
    std::vector<plan_rejection> rejected;
    std::size_t count(plan_verdict v) const;
};

// Judges a plan. The state log is fed first (add_state), so the plan starts
// from who holds each post and what already diverges.
class planner {
public:
    planner(const rule_set& rules, plan_options options);
    ~planner();
    planner(const planner&) = delete;
    planner& operator=(const planner&) = delete;

    void add_state(const event& e);                 // rejected records are kept for the report
    void add_state_rejection(rejection r);
    plan_result finish(plan_input plan);

private:
    struct state;
    std::unique_ptr<state> s_;
};

std::string render_plan_text(const plan_result& p, const rule_set& rules, lang l);
std::string render_plan_markdown(const plan_result& p, const rule_set& rules, lang l);
nlohmann::json render_plan_json(const plan_result& p, const rule_set& rules, lang l);

}  // namespace patuh
