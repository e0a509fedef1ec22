// Judging a rotation plan with the engine: the state log first, then every
// move as the personnel-change event it would be on its effective date. The
// rules that judge a move are the engine's own (consider_rules, the same
// lookup `patuh explain` shows); what the move does to the posts is read from
// the engine's two views before and after it.

#include <patuh/explain.hpp>
#include <patuh/plan.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <set>

namespace patuh {

namespace {

// Ids the plan gives its events inside the engine; never shown.
std::string move_event_id(std::size_t i) { return fmt::format("\x1fplan#{}", i); }
std::string seed_event_id(std::size_t i) { return fmt::format("\x1fseed#{}", i); }
bool is_plan_event(const std::string& id) { return id.starts_with("\x1f"); }

std::string post_key(const std::string& region, const plan_post& p) {
    const std::string unit = p.unit == no_index ? normalise_position(p.unit_text) : std::to_string(p.unit);
    return fmt::format("{}\x1f{}\x1f{}", region, unit, normalise_position(p.title));
}

bool definitive(action a) { return a == action::transfer || a == action::appoint; }

bool same_holding(const std::optional<holder>& a, const std::optional<holder>& b) {
    if (!a || !b) return !a && !b;
    return a->who.nip == b->who.nip && a->acting == b->acting;
}

bool recognised(const std::optional<post_view>& v) {
    if (!v) return false;
    return v->jure_known && same_holding(v->facto, v->jure);
}

event_kind kind_of(action a) { return static_cast<event_kind>(a); }

// The event a move is, on its effective date: into the post taken, or out of
// the post left for a dismissal.
event event_of(const plan_move& m, std::size_t index) {
    event e;
    e.id = move_event_id(index);
    e.kind = kind_of(m.act);
    e.effective = m.effective;
    e.region = m.region;
    e.level = m.level;
    const plan_post& p = m.act == action::dismiss ? m.from : m.to;
    e.unit_text = p.unit_text;
    e.unit = p.unit;
    e.position = p.title;
    e.rank = p.rank;
    e.rank_text = p.rank_text;
    e.who = m.who;
    e.approvals = m.approvals;
    e.why = m.why;
    e.concurrent = m.concurrent;
    e.source = m.source;
    e.line = m.row;
    return e;
}

// Depth in the authority hierarchy: 0 for the top.
int depth_of(index_t a, const rule_set& rules) {
    int d = 0;
    for (index_t p = rules.authorities.at(a).parent; p != no_index; p = rules.authorities.at(p).parent) ++d;
    return d;
}

}  // namespace

std::string_view to_string(requirement_status s) {
    switch (s) {
    case requirement_status::allowed: return "allowed";
    case requirement_status::held: return "held";
    case requirement_status::recognised: return "recognised";
    case requirement_status::needed: return "needed";
    case requirement_status::forbidden: return "forbidden";
    }
    return "?";
}

std::string_view to_string(effect_kind k) {
    switch (k) {
    case effect_kind::vacated: return "vacated";
    case effect_kind::displaced: return "displaced";
    case effect_kind::displaced_early: return "displaced_early";
    case effect_kind::ends_acting: return "ends_acting";
    case effect_kind::double_post: return "double_post";
    case effect_kind::closes_finding: return "closes_finding";
    case effect_kind::handed_over: return "handed_over";
    }
    return "?";
}

std::string_view to_string(conflict_kind k) {
    switch (k) {
    case conflict_kind::not_holder: return "not_holder";
    case conflict_kind::moved_elsewhere: return "moved_elsewhere";
    case conflict_kind::same_post: return "same_post";
    case conflict_kind::same_person: return "same_person";
    case conflict_kind::refused: return "refused";
    case conflict_kind::double_post: return "double_post";
    }
    return "?";
}

std::size_t plan_result::count(plan_verdict v) const {
    return static_cast<std::size_t>(
        std::count_if(moves.begin(), moves.end(), [v](const move_result& m) { return m.verdict == v; }));
}

struct planner::state {
    const rule_set& rules;
    plan_options options;
    engine base;     // the approvals the moves carry
    engine granted;  // every approval a move needs granted on its effective date (--assume-approved)
    std::uint64_t state_read = 0;
    std::vector<rejection> state_rejections;

    state(const rule_set& r, plan_options o) : rules(r), options(o), base(r), granted(r) {}

    std::vector<plan_move> moves;
    std::vector<std::size_t> order;  // processing order: date, posts taken before posts only left, row
    plan_result out;

    // ---- before the first move -----------------------------------------------------

    // Within a day: dismissals first (the post is vacant when it is filled the
    // same day), then moves into covered posts, then moves that only leave one.
    static int day_class(const plan_move& m) {
        if (m.act == action::dismiss) return 0;
        return m.to.covered ? 1 : 2;
    }

    void sort_moves() {
        order.resize(moves.size());
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            const plan_move& x = moves[a];
            const plan_move& y = moves[b];
            if (x.effective != y.effective) return x.effective < y.effective;
            return day_class(x) < day_class(y);
        });
    }

    void feed(const event& e) {
        rejection why;
        (void)base.add(e, why);
        (void)granted.add(e, why);
    }

    // A post whose rank the row leaves empty takes the rank the state records for it.
    void ranks_from_state() {
        for (std::size_t i = 0; i < moves.size(); ++i) {
            plan_move& m = moves[i];
            for (plan_post* p : {&m.from, &m.to}) {
                if (p->title.empty() || p->rank_stated || !rules.covers_unit(p->unit)) continue;
                const std::optional<post_view> v = base.post_state(m.region, p->unit, p->title);
                if (!v || v->rank == no_index) continue;
                p->rank = v->rank;
                p->covered = true;
            }
            out.moves[i].move = m;
        }
    }

    // A post the plan says someone leaves, unknown to the state: the row is taken
    // at its word, as a holder the centre recognises, before any rule's time.
    void seed_unknown_posts() {
        std::set<std::string> taken;
        std::set<std::string> seeded;
        for (const std::size_t i : order) {
            const plan_move& m = moves[i];
            if (m.from.covered) {
                const std::string key = post_key(m.region, m.from);
                if (!taken.contains(key) && !seeded.contains(key) &&
                    !base.post_state(m.region, m.from.unit, m.from.title)) {
                    event e;
                    e.id = seed_event_id(i);
                    e.kind = event_kind::appoint;
                    e.effective = date::min();
                    e.region = m.region;
                    e.level = m.level;
                    e.unit_text = m.from.unit_text;
                    e.unit = m.from.unit;
                    e.position = m.from.title;
                    e.rank = m.from.rank;
                    e.who = m.who;
                    e.concurrent = true;
                    for (index_t a = 0; a < rules.authorities.size(); ++a)
                        e.approvals.push_back({a, rules.authorities[a].id, {}, date::min(), m.who.nip, {}});
                    feed(e);
                    seeded.insert(key);
                    out.moves[i].assumed_holder = true;
                }
            }
            if (m.act != action::dismiss && m.to.covered) taken.insert(post_key(m.region, m.to));
        }
    }

    // Rows that contradict the state or each other.
    void find_conflicts() {
        std::map<std::string, std::pair<std::string, std::size_t>> location;  // nip → post key and row index
        for (const std::size_t i : order) {
            const plan_move& m = moves[i];
            move_result& r = out.moves[i];
            if (!m.from.title.empty()) {
                const std::string key = post_key(m.region, m.from);
                if (const auto it = location.find(m.who.nip); it != location.end()) {
                    if (it->second.first != key) {
                        plan_conflict c;
                        c.kind = conflict_kind::moved_elsewhere;
                        c.other_row = moves[it->second.second].row;
                        const plan_move& earlier = moves[it->second.second];
                        c.post = earlier.act == action::dismiss ? std::string() : earlier.to.title;
                        r.conflicts.push_back(std::move(c));
                    }
                } else if (m.from.covered) {
                    const std::optional<post_view> v = base.post_state(m.region, m.from.unit, m.from.title);
                    if (!v || !v->facto || v->facto->who.nip != m.who.nip) {
                        plan_conflict c;
                        c.kind = conflict_kind::not_holder;
                        c.on_record = v.has_value();
                        if (v && v->facto) c.holder = v->facto->who;
                        r.conflicts.push_back(std::move(c));
                    }
                }
            }
            if (definitive(m.act) && !m.concurrent) location[m.who.nip] = {post_key(m.region, m.to), i};
            if (m.act == action::dismiss) location[m.who.nip] = {std::string(), i};
        }
        for (std::size_t a = 0; a < moves.size(); ++a) {
            for (std::size_t b = 0; b < moves.size(); ++b) {
                if (a == b || moves[a].effective != moves[b].effective) continue;
                const bool neither_acting = moves[a].act != action::acting && moves[b].act != action::acting;
                if (neither_acting && moves[a].who.nip == moves[b].who.nip)
                    out.moves[a].conflicts.push_back({conflict_kind::same_person, moves[b].row, {}, false, {}, {}});
                const bool both_take = moves[a].act != action::dismiss && moves[b].act != action::dismiss;
                if (both_take && moves[a].who.nip != moves[b].who.nip &&
                    post_key(moves[a].region, moves[a].to) == post_key(moves[b].region, moves[b].to))
                    out.moves[a].conflicts.push_back({conflict_kind::same_post, moves[b].row, {}, false, {}, {}});
            }
        }
    }

    // ---- one move ------------------------------------------------------------------------

    void add_requirements(move_result& r, const std::vector<rule_consideration>& considered, bool leaving,
                          const std::optional<post_view>& before, const plan_move& m) {
        for (const rule_consideration& c : considered) {
            const rule& x = rules.rules[c.rule];
            const bool window_rule = x.kind == rule_kind::moratorium || x.window.has_value();
            if (window_rule && c.why_not == mismatch::none && !c.overridden_by) {
                plan_window w;
                w.rule = c.rule;
                w.exempted = c.exempted;
                w.span = x.kind == rule_kind::moratorium ? x.stated_in_force : period{};
                if (x.window)
                    for (const period& p : base.calendar(m.region).windows(*x.window))
                        if (p.contains(m.effective)) w.span = p;
                if (std::none_of(r.windows.begin(), r.windows.end(), [&](const plan_window& y) { return y.rule == c.rule; }))
                    r.windows.push_back(w);
            }
            if (!c.judged()) continue;
            plan_requirement q;
            q.rule = c.rule;
            q.leaving = leaving;
            const bool returns_recognised = !leaving && m.act != action::acting && before && before->jure_known &&
                                            before->jure && !before->jure->acting &&
                                            before->jure->who.nip == m.who.nip;
            if (x.need == demand::allowed) q.status = requirement_status::allowed;
            else if (returns_recognised) q.status = requirement_status::recognised;
            else if (x.need == demand::forbidden) q.status = requirement_status::forbidden;
            else if (std::any_of(c.approvals.begin(), c.approvals.end(),
                                 [](const approval_check& a) { return a.fault == approval_fault::none; }))
                q.status = requirement_status::held;
            else q.status = requirement_status::needed;
            if (q.status == requirement_status::needed && x.lead_days > 0) q.send_by = m.effective + -x.lead_days;
            r.requirements.push_back(q);
        }
    }

    // The same move with every approval it needs, granted on its effective date.
    event granted_event(const event& e, const move_result& r) const {
        event g = e;
        for (const plan_requirement& q : r.requirements)
            if (q.status == requirement_status::needed)
                g.approvals.push_back({rules.rules[q.rule].authority, {}, {}, e.effective, e.who.nip, {}});
        return g;
    }

    void note_arrival(std::size_t i, const std::optional<post_view>& before) {
        const plan_move& m = moves[i];
        move_result& r = out.moves[i];
        if (!before || !before->facto || before->facto->who.nip == m.who.nip) return;
        const holder& h = *before->facto;
        plan_effect fx;
        fx.post = m.to.title;
        fx.other = h.who;
        if (h.acting) {
            fx.kind = effect_kind::ends_acting;
            r.effects.push_back(std::move(fx));
            return;
        }
        const std::string key = post_key(m.region, m.to);
        for (const std::size_t j : order) {
            const plan_move& n = moves[j];
            if (j == i || n.who.nip != h.who.nip || n.from.title.empty() || post_key(n.region, n.from) != key) continue;
            if (n.effective == m.effective) return;  // a chain on one day: the holder moves on
            if (n.effective > m.effective) {
                fx.kind = effect_kind::displaced_early;
                fx.by_row = n.row;
                r.effects.push_back(std::move(fx));
                return;
            }
        }
        fx.kind = effect_kind::displaced;
        r.effects.push_back(std::move(fx));
    }

    // The row that takes the post `m` leaves on the same day, if any.
    std::optional<std::size_t> taker(std::size_t i) const {
        const plan_move& m = moves[i];
        if (!m.from.covered || m.concurrent) return std::nullopt;
        const std::string key = post_key(m.region, m.from);
        for (const std::size_t j : order) {
            const plan_move& n = moves[j];
            if (j != i && n.effective == m.effective && n.act != action::dismiss && n.to.covered &&
                n.who.nip != m.who.nip && post_key(n.region, n.to) == key)
                return j;
        }
        return std::nullopt;
    }

    // Whether the post `i` takes is left the same day by a dismissal of `nip`,
    // which is applied first.
    bool dismissed_same_day(std::size_t i, const std::string& nip) const {
        const plan_move& m = moves[i];
        const std::string key = post_key(m.region, m.to);
        return std::any_of(moves.begin(), moves.end(), [&](const plan_move& n) {
            return n.act == action::dismiss && n.effective == m.effective && n.who.nip == nip && n.from.covered &&
                   post_key(n.region, n.from) == key;
        });
    }

    // The views of the posts a day's moves touch, before any of them: moves of
    // one day are judged together, whatever their order in the plan.
    std::map<std::string, std::optional<post_view>> start_of_day(std::size_t first, std::size_t end) const {
        std::map<std::string, std::optional<post_view>> views;
        for (std::size_t k = first; k < end; ++k) {
            const plan_move& m = moves[order[k]];
            for (const plan_post* p : {&m.from, &m.to})
                if (p->covered) views[post_key(m.region, *p)] = base.post_state(m.region, p->unit, p->title);
        }
        return views;
    }

    void judge(std::size_t i, const std::map<std::string, std::optional<post_view>>& views) {
        const plan_move& m = moves[i];
        move_result& r = out.moves[i];
        const event e = event_of(m, i);
        const region_calendar& calendar = base.calendar(m.region);
        const auto view = [&](const plan_post& p) -> std::optional<post_view> {
            if (!p.covered) return std::nullopt;
            return views.at(post_key(m.region, p));
        };
        const std::optional<post_view> before_from = view(m.from);
        std::optional<post_view> before_to = view(m.to);
        if (before_to && before_to->facto && m.act != action::dismiss && dismissed_same_day(i, before_to->facto->who.nip))
            before_to->facto.reset();
        const bool holds_from = before_from && before_from->facto && before_from->facto->who.nip == m.who.nip;
        r.covered = m.from.covered || m.to.covered;
        // A post handed over to another row on the same day changes once: that
        // row's move is judged for it.
        const std::optional<std::size_t> taken_by =
            holds_from && m.act != action::dismiss ? taker(i) : std::nullopt;
        if (taken_by) {
            plan_effect fx;
            fx.kind = effect_kind::handed_over;
            fx.post = m.from.title;
            fx.other = moves[*taken_by].who;
            fx.by_row = moves[*taken_by].row;
            r.effects.push_back(std::move(fx));
        }
        if (m.act == action::dismiss) {
            if (m.from.covered) add_requirements(r, consider_rules(rules, e, before_from, calendar), true, before_from, m);
            r.leaves_post = holds_from;
            return;
        }
        if (definitive(m.act) && !m.concurrent && holds_from && !before_from->facto->acting && !taken_by) {
            event leave = e;
            leave.kind = event_kind::transfer;
            leave.position = m.from.title;
            leave.unit = m.from.unit;
            leave.unit_text = m.from.unit_text;
            leave.rank = m.from.rank;
            leave.why.reset();
            add_requirements(r, consider_rules(rules, leave, before_from, calendar), true, before_from, m);
            r.leaves_post = true;
        }
        if (m.to.covered) add_requirements(r, consider_rules(rules, e, before_to, calendar), false, before_to, m);
        note_arrival(i, before_to);
    }

    // Applies a judged move to both engines. A dismissal from a post that
    // another row has already taken changes nothing.
    void apply(std::size_t i) {
        const plan_move& m = moves[i];
        move_result& r = out.moves[i];
        if (m.act == action::dismiss && m.from.covered) {
            const std::optional<post_view> now = base.post_state(m.region, m.from.unit, m.from.title);
            if (now && now->facto && now->facto->who.nip != m.who.nip) return;
        }
        const event e = event_of(m, i);
        rejection why;
        if (!base.add(e, why)) {
            plan_conflict c;
            c.kind = conflict_kind::refused;
            c.reason = why.reason;
            r.conflicts.push_back(std::move(c));
            return;
        }
        (void)granted.add(granted_event(e, r), why);
    }

    void run_moves() {
        for (std::size_t k = 0; k < order.size();) {
            const date today = moves[order[k]].effective;
            std::size_t end = k;
            while (end < order.size() && moves[order[end]].effective == today) ++end;
            const auto views = start_of_day(k, end);
            for (std::size_t x = k; x < end; ++x) judge(order[x], views);
            for (std::size_t x = k; x < end; ++x) apply(order[x]);
            for (std::size_t x = k; x < end; ++x)
                if (out.moves[order[x]].leaves_post) vacancy_after(order[x]);
            k = end;
        }
    }

    // The post a move leaves, at the end of its day: empty until which row fills it?
    void vacancy_after(std::size_t i) {
        const plan_move& m = moves[i];
        const std::optional<post_view> v = base.post_state(m.region, m.from.unit, m.from.title);
        if (!v || v->facto) return;
        plan_effect fx;
        fx.kind = effect_kind::vacated;
        fx.post = m.from.title;
        fx.head = m.from.rank == 0;
        const std::string key = post_key(m.region, m.from);
        for (const std::size_t j : order) {
            const plan_move& n = moves[j];
            if (n.effective <= m.effective || n.act == action::dismiss || !n.to.covered || post_key(n.region, n.to) != key)
                continue;
            fx.until = n.effective;
            fx.by_row = n.row;
            break;
        }
        out.moves[i].effects.push_back(std::move(fx));
    }

    // ---- after the last move ---------------------------------------------------------------

    void verdicts() {
        for (move_result& r : out.moves) {
            int longest = 0;
            bool needed = false;
            bool forbidden = false;
            for (const plan_requirement& q : r.requirements) {
                const rule& x = rules.rules[q.rule];
                if (q.status == requirement_status::forbidden) forbidden = true;
                if (q.status != requirement_status::needed) continue;
                needed = true;
                if (x.lead_days <= 0) r.no_lead_time = true;
                longest = std::max(longest, x.lead_days);
                if (q.send_by && (!r.send_by || *q.send_by < *r.send_by)) r.send_by = q.send_by;
            }
            r.verdict = !r.conflicts.empty() || forbidden ? plan_verdict::blocked
                        : needed                          ? plan_verdict::needs_approval
                                                          : plan_verdict::ready;
            if (r.send_by && *r.send_by < options.today) {
                r.late = true;
                r.earliest = options.today + longest;
            }
        }
    }

    void collect_findings() {
        audit_result result = base.finish();
        std::map<std::string, std::size_t> move_of;
        for (std::size_t i = 0; i < moves.size(); ++i) move_of[move_event_id(i)] = i;
        for (finding f : result.findings) {
            if (f.event_id.starts_with("\x1fseed")) continue;
            const std::size_t index = out.findings.size();
            const auto opened_by = move_of.find(f.event_id);
            const auto closed_by = move_of.find(f.closed_by);
            if (opened_by == move_of.end()) {
                const bool open_at_start = !f.closed || (f.closed && is_plan_event(f.closed_by));
                if (!open_at_start || f.is_notice()) continue;
                out.divergent.push_back(index);
                if (closed_by != move_of.end()) {
                    plan_effect fx;
                    fx.kind = effect_kind::closes_finding;
                    fx.post = f.position;
                    fx.rule = f.rule;
                    out.moves[closed_by->second].effects.push_back(std::move(fx));
                }
            } else {
                move_result& r = out.moves[opened_by->second];
                if (!f.is_notice()) r.findings.push_back(index);
                if (rules.rules[f.rule].kind == rule_kind::double_post) {
                    plan_conflict c;
                    c.kind = conflict_kind::double_post;
                    c.post = f.position;
                    r.conflicts.push_back(std::move(c));
                }
            }
            f.event_id = opened_by == move_of.end() ? f.event_id : moves[opened_by->second].id;
            if (closed_by != move_of.end()) f.closed_by = moves[closed_by->second].id;
            out.findings.push_back(std::move(f));
        }
    }

    void posts_table(const std::map<std::string, std::optional<post_view>>& before,
                     const std::vector<std::pair<std::string, const plan_move*>>& touched,
                     const std::vector<const plan_post*>& sides) {
        for (std::size_t k = 0; k < touched.size(); ++k) {
            const auto& [key, m] = touched[k];
            const plan_post& p = *sides[k];
            post_row row;
            row.post = p.title;
            const std::optional<post_view>& b = before.at(key);
            row.before_known = b.has_value();
            if (b) row.before = b->facto;
            row.before_recognised = recognised(b);
            const std::optional<post_view> after = base.post_state(m->region, p.unit, p.title);
            if (after) row.after = after->facto;
            row.after_recognised =
                recognised(options.assume_approved ? granted.post_state(m->region, p.unit, p.title) : after);
            out.posts.push_back(std::move(row));
        }
    }

    // ---- chains, swaps, rings --------------------------------------------------------

    void find_chains() {
        const std::size_t n = moves.size();
        const auto links = [&](std::size_t a, std::size_t b) {
            return a != b && definitive(moves[a].act) && definitive(moves[b].act) && !moves[b].concurrent &&
                   !moves[b].from.title.empty() &&
                   post_key(moves[a].region, moves[a].to) == post_key(moves[b].region, moves[b].from);
        };
        std::vector<std::optional<std::size_t>> next(n), prev(n);
        for (std::size_t a = 0; a < n; ++a)
            for (std::size_t b = 0; b < n; ++b)
                if (links(a, b) && !next[a] && !prev[b]) {
                    next[a] = b;
                    prev[b] = a;
                }
        std::vector<bool> seen(n, false);
        const auto walk = [&](std::size_t start, plan_chain& c) {
            c.posts.push_back(moves[start].from.title);
            for (std::optional<std::size_t> at = start; at && !seen[*at]; at = next[*at]) {
                seen[*at] = true;
                c.moves.push_back(*at);
                c.posts.push_back(moves[*at].to.title);
            }
        };
        for (std::size_t a = 0; a < n; ++a) {  // rings first: every move in them has a predecessor
            if (seen[a]) continue;
            std::optional<std::size_t> at = next[a];
            std::size_t steps = 0;
            while (at && *at != a && steps++ < n) at = next[*at];
            if (!at || *at != a) continue;
            plan_chain c;
            walk(a, c);
            c.kind = c.moves.size() == 2 ? plan_chain::shape::swap : plan_chain::shape::ring;
            out.chains.push_back(std::move(c));
        }
        for (std::size_t a = 0; a < n; ++a) {
            if (seen[a] || prev[a] || !next[a]) continue;
            plan_chain c;
            walk(a, c);
            out.chains.push_back(std::move(c));
        }
    }

    // ---- letters -------------------------------------------------------------------------

    void letters() {
        struct wanted {
            index_t to;
            std::vector<index_t> route;
            std::optional<date> send_by;
            std::vector<std::uint32_t> rules;
        };
        std::vector<plan_letter> list;
        for (std::size_t i = 0; i < out.moves.size(); ++i) {
            const move_result& r = out.moves[i];
            if (r.verdict != plan_verdict::needs_approval) continue;
            std::vector<const plan_requirement*> needed;
            for (const plan_requirement& q : r.requirements)
                if (q.status == requirement_status::needed) needed.push_back(&q);
            std::stable_sort(needed.begin(), needed.end(), [&](const plan_requirement* a, const plan_requirement* b) {
                return depth_of(rules.rules[a->rule].authority, rules) < depth_of(rules.rules[b->rule].authority, rules);
            });
            // One approval by an authority answers every rule it satisfies.
            std::vector<wanted> asks;
            for (const plan_requirement* q : needed) {
                const rule& x = rules.rules[q->rule];
                const route* via = x.route_for(r.move.level);
                const std::vector<index_t> chain = via ? via->chain : std::vector<index_t>{};
                const auto same = std::find_if(asks.begin(), asks.end(), [&](const wanted& w) {
                    return rules.satisfies(w.to, x.authority, x.or_higher);
                });
                if (same == asks.end()) {
                    asks.push_back({x.authority, chain, q->send_by, {q->rule}});
                    continue;
                }
                if (chain.size() > same->route.size()) same->route = chain;
                if (q->send_by && (!same->send_by || *q->send_by < *same->send_by)) same->send_by = q->send_by;
                if (!q->send_by) same->send_by.reset();
                same->rules.push_back(q->rule);
            }
            for (wanted& w : asks) {
                const auto letter = std::find_if(list.begin(), list.end(), [&](const plan_letter& l) {
                    return l.to == w.to && l.route == w.route && l.send_by == w.send_by;
                });
                plan_letter* l = nullptr;
                if (letter == list.end()) {
                    list.push_back({w.to, w.route, w.send_by, r.move.effective, {}, {}});
                    l = &list.back();
                } else {
                    l = &*letter;
                }
                l->needed_by = std::min(l->needed_by, r.move.effective);
                l->moves.push_back(i);
                for (const std::uint32_t x : w.rules)
                    if (std::find(l->rules.begin(), l->rules.end(), x) == l->rules.end()) l->rules.push_back(x);
            }
        }
        const auto key = [](const plan_letter& l) { return l.send_by.value_or(l.needed_by); };
        std::map<index_t, date> first;
        for (const plan_letter& l : list) {
            const auto it = first.find(l.to);
            if (it == first.end() || key(l) < it->second) first[l.to] = key(l);
        }
        std::stable_sort(list.begin(), list.end(), [&](const plan_letter& a, const plan_letter& b) {
            if (a.to != b.to) {
                if (first[a.to] != first[b.to]) return first[a.to] < first[b.to];
                return a.to < b.to;
            }
            if (key(a) != key(b)) return key(a) < key(b);
            return a.route.size() > b.route.size();
        });
        out.letters = std::move(list);
    }

    plan_result finish(plan_input plan) {
        out.options = options;
        out.state_read = state_read;
        out.state_rejected = state_rejections.size();
        out.state_rejections = std::move(state_rejections);
        out.rows = plan.rows;
        out.rejected = std::move(plan.rejected);
        moves = std::move(plan.moves);
        for (const plan_move& m : moves) {
            move_result r;
            r.move = m;
            out.moves.push_back(std::move(r));
            if (std::find(out.regions.begin(), out.regions.end(), m.region) == out.regions.end())
                out.regions.push_back(m.region);
        }
        ranks_from_state();
        sort_moves();
        seed_unknown_posts();
        // The covered posts the plan touches, in row order, as they stand before it.
        std::map<std::string, std::optional<post_view>> before;
        std::vector<std::pair<std::string, const plan_move*>> touched;
        std::vector<const plan_post*> sides;
        for (const plan_move& m : moves)
            for (const plan_post* p : {&m.from, &m.to}) {
                if (!p->covered) continue;
                const std::string key = post_key(m.region, *p);
                if (before.contains(key)) continue;
                before[key] = base.post_state(m.region, p->unit, p->title);
                touched.emplace_back(key, &m);
                sides.push_back(p);
            }
        find_conflicts();
        run_moves();
        posts_table(before, touched, sides);
        collect_findings();
        verdicts();
        find_chains();
        letters();
        return std::move(out);
    }
};

planner::planner(const rule_set& rules, plan_options options) : s_(std::make_unique<state>(rules, options)) {}
planner::~planner() = default;

void planner::add_state(const event& e) {
    ++s_->state_read;
    rejection why;
    if (!s_->base.add(e, why)) {
        s_->state_rejections.push_back(std::move(why));
        return;
    }
    (void)s_->granted.add(e, why);
}

void planner::add_state_rejection(rejection r) {
    ++s_->state_read;
    s_->state_rejections.push_back(std::move(r));
}

plan_result planner::finish(plan_input plan) { return s_->finish(std::move(plan)); }

}  // namespace patuh
