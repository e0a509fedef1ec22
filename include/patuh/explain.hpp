#pragma once
// `patuh explain`: why one event was or was not flagged. The log is run
// through the same engine up to the event; the explanation lists every rule
// considered (and why it did or did not apply), every approval examined, the
// post's two views before and after, the findings the event opened or
// closed, and the region's place on the escalation ladder.

#include <nlohmann/json_fwd.hpp>
#include <patuh/engine.hpp>
#include <patuh/event.hpp>
#include <patuh/i18n.hpp>
#include <patuh/rule_set.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace patuh {

struct approval_check {
    std::size_t approval = 0;  // index into the event's approvals
    approval_fault fault = approval_fault::none;
};

// What a rule that judged the event concluded.
enum class outcome : std::uint8_t {
    not_judged,
    violated,     // a finding opened
    allowed,      // the rule needs no approval
    approved,     // an approval on the event satisfies it
    recognised,   // the person is the one the centre recognises for the post
    awaiting,     // the rule allows the approval to arrive later
    continuing,   // the post already diverged: the open finding continues
    forbidden,    // forbidden, but no new finding (the post already diverged)
};

struct rule_consideration {
    std::uint32_t rule = 0;
    mismatch why_not = mismatch::none;           // none: its conditions match
    std::optional<std::uint32_t> overridden_by;  // set aside by a more specific or overriding rule
    std::optional<reason> exempted;              // not judged: the event's reason is exempt
    std::vector<approval_check> approvals;       // for rules that judged the event and need one
    outcome result = outcome::not_judged;
    bool judged() const { return why_not == mismatch::none && !overridden_by && !exempted; }
};

struct explanation {
    event subject;
    std::optional<post_view> before, after;
    std::vector<rule_consideration> rules;  // every requirement and moratorium rule, in rule order
    std::vector<finding> opened;            // findings this event opened, on any post
    std::vector<finding> closed;            // findings this event closed
    std::optional<region_state> region;     // the event's region after it
    std::vector<std::string> citations;     // of the rules that judged it, without repeats
    date_order_breaks out_of_date_order;    // of the whole log (W0601): the explanation followed file order
    duplicate_records duplicates;           // of the whole log (W0602): not applied again
};

// Every requirement and moratorium rule, and how it stands to a personnel
// change or approval `e` on a post whose views were `before`: its first unmet
// condition, the rule that sets it aside, the exempting reason, and each
// approval of the event checked against it. `result` is left not_judged: what
// the engine concluded is known only once it has applied the event.
std::vector<rule_consideration> consider_rules(const rule_set& rules, const event& e,
                                               const std::optional<post_view>& before, const region_calendar& calendar);

// Feeds events in log order; keeps the explanation of the first event with
// `id`, or whose record is at the place `id` names as FILE:LINE (FILE as the
// input was given or its file name, as reports and CSV ids write it).
class explainer {
public:
    explainer(const rule_set& rules, std::string id);
    ~explainer();
    explainer(const explainer&) = delete;
    explainer& operator=(const explainer&) = delete;

    void add(const event& e);            // events after the target are ignored
    bool found() const;
    explanation finish();                // only when found()

    // A record the reader rejected. The first that is the target's is kept:
    // when no event has the id, it says why. A record is the target's when it
    // is at the place the id names, or by its id: the one the reader gives
    // (rejection::id), else, for JSON that did not parse, its top-level "id"
    // as JSON decodes it ("\u0045V-1" is "EV-1"), read from the record's text
    // up to the member, so a record cut short or broken after it still counts.
    void add_rejected(rejection&& r);
    const std::optional<rejection>& rejected() const;
    // The rejected records after which their input was not read further
    // (rejection::ends_input), in input order: where events may be missing
    // from, when no event has the id.
    const std::vector<rejection>& stopped_inputs() const;

private:
    struct state;
    std::unique_ptr<state> s_;
};

std::string render_explanation_text(const explanation& x, const rule_set& rules, lang l);
nlohmann::json render_explanation_json(const explanation& x, const rule_set& rules, lang l);

}  // namespace patuh
