#include <patuh/rule_set.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <iterator>
#include <limits>

namespace patuh {

namespace {

constexpr std::array<std::string_view, action_count> action_names = {"appoint", "dismiss", "transfer", "acting",
                                                                     "inaugurate"};
constexpr std::array<std::string_view, reason_count> reason_names = {"death", "retirement", "resignation", "arrest",
                                                                     "definitive"};
constexpr std::array<std::string_view, 5> severity_names = {"info", "low", "medium", "high", "critical"};

template <std::size_t N>
std::optional<std::size_t> find_word(const std::array<std::string_view, N>& words, std::string_view s) {
    const auto it = std::find(words.begin(), words.end(), s);
    if (it == words.end()) return std::nullopt;
    return static_cast<std::size_t>(it - words.begin());
}

// White space and lower case as the "C" locale has them (the program never
// sets another): ASCII only, other bytes are left as they are.
constexpr bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
constexpr char to_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Lookup key for names written by people: case, spaces, dots, dashes and
// underscores do not matter ("II.b" = "IIb" = "ii b").
std::string lookup_key(std::string_view s) {
    std::string key(s.size(), '\0');
    std::size_t n = 0;
    for (const char c : s)
        if (!is_space(c) && c != '.' && c != '-' && c != '_') key[n++] = to_lower(c);
    key.resize(n);
    return key;
}

// Calls f(key) for every name an item answers to, in the order lookups try them.
template <typename T, typename F>
void each_name(const T& item, F f) {
    f(lookup_key(item.id));
    if constexpr (requires { item.aliases; }) {
        for (const std::string& alias : item.aliases) f(lookup_key(alias));
    }
    if (!item.title.empty()) f(lookup_key(item.title));
}

// The first item (by position) that answers to `name`: through `index` once
// build_index() made it, else by looking at every item.
template <typename T>
index_t find_named(const std::vector<T>& items, const name_index& index, std::string_view name) {
    const std::string key = lookup_key(name);
    if (key.empty()) return no_index;
    if (!index.empty() || items.empty()) {
        const auto it = index.find(key);
        return it == index.end() ? no_index : it->second;
    }
    for (std::size_t i = 0; i < items.size(); ++i) {
        bool found = false;
        each_name(items[i], [&](const std::string& k) { found = found || k == key; });
        if (found) return static_cast<index_t>(i);
    }
    return no_index;
}

// Every name of every item, each kept for the first item that answers to it.
template <typename T>
name_index index_names(const std::vector<T>& items) {
    name_index out;
    for (std::size_t i = 0; i < items.size(); ++i)
        each_name(items[i], [&](std::string k) {
            if (!k.empty()) out.try_emplace(std::move(k), static_cast<index_t>(i));
        });
    return out;
}

}  // namespace

std::string_view to_string(action a) { return action_names[static_cast<std::size_t>(a)]; }
std::optional<action> parse_action(std::string_view s) {
    if (auto i = find_word(action_names, s)) return static_cast<action>(*i);
    return std::nullopt;
}
std::string_view to_string(reason r) { return reason_names[static_cast<std::size_t>(r)]; }
std::optional<reason> parse_reason(std::string_view s) {
    if (auto i = find_word(reason_names, s)) return static_cast<reason>(*i);
    return std::nullopt;
}
bool can_make_definitive(action a) { return a == action::appoint || a == action::transfer || a == action::inaugurate; }
std::string_view to_string(severity s) { return severity_names[static_cast<std::size_t>(s)]; }
std::optional<severity> parse_severity(std::string_view s) {
    if (auto i = find_word(severity_names, s)) return static_cast<severity>(*i);
    return std::nullopt;
}

bool index_set::contains(index_t i) const {
    return any || std::binary_search(members.begin(), members.end(), i);
}

bool index_set::subset_of(const index_set& other) const {
    if (other.any) return true;
    if (any) return false;
    return std::includes(other.members.begin(), other.members.end(), members.begin(), members.end());
}

const route* rule::route_for(index_t lvl) const {
    for (const route& r : routes)
        if (r.levels.contains(lvl)) return &r;
    return nullptr;
}

void normalise_position(std::string_view s, std::string& out) {
    // The result is never longer than the input: write in place, then cut.
    out.resize(s.size());
    char* const first = out.data();
    char* to = first;
    bool space = false;
    for (const char c : s) {
        if (is_space(c)) {
            space = to != first;
            continue;
        }
        if (space) *to++ = ' ';
        space = false;
        *to++ = to_lower(c);
    }
    out.resize(static_cast<std::size_t>(to - first));
}

bool normalises_to(std::string_view s, std::string_view key) {
    // normalise_position, comparing each byte it would write instead of writing it.
    std::size_t n = 0;  // bytes of `key` met so far
    bool space = false;
    for (const char c : s) {
        if (is_space(c)) {
            space = n != 0;
            continue;
        }
        if (space && (n == key.size() || key[n++] != ' ')) return false;
        space = false;
        if (n == key.size() || key[n++] != to_lower(c)) return false;
    }
    return n == key.size();
}

std::string normalise_position(std::string_view s) {
    std::string out;
    normalise_position(s, out);
    return out;
}

index_t rule_set::find_rank(std::string_view name) const {
    if (index_t i = find_named(ranks, rank_names_, name); i != no_index) return i;
    // "eselon II.b" and "Eselon IIb": try without a leading "eselon".
    const std::string key = lookup_key(name);
    if (key.starts_with("eselon")) return find_named(ranks, rank_names_, std::string_view(key).substr(6));
    return no_index;
}
index_t rule_set::find_authority(std::string_view name) const {
    return find_named(authorities, authority_names_, name);
}
index_t rule_set::find_unit(std::string_view name) const { return find_named(units, unit_names_, name); }
index_t rule_set::find_service(std::string_view name) const { return find_named(services, service_names_, name); }
index_t rule_set::find_level(std::string_view name) const { return find_named(levels, level_names_, name); }

index_t rule_set::level_of_region(std::string_view code) const {
    const auto digits = [](std::string_view s) {
        return s.size() == 2 && std::isdigit(static_cast<unsigned char>(s[0])) &&
               std::isdigit(static_cast<unsigned char>(s[1]));
    };
    const bool province = digits(code);
    const bool regency = code.size() == 5 && code[2] == '.' && digits(code.substr(0, 2)) && digits(code.substr(3));
    if (!province && !regency) return no_index;
    const int number = regency ? (code[3] - '0') * 10 + (code[4] - '0') : 0;
    for (std::size_t i = 0; i < levels.size(); ++i) {
        const level& l = levels[i];
        if (province && l.province) return static_cast<index_t>(i);
        if (regency && !l.province && l.from <= number && number <= l.to) return static_cast<index_t>(i);
    }
    return no_index;
}

bool rule_set::satisfies(index_t granted, index_t required, bool or_higher) const {
    if (granted == no_index || required == no_index) return false;
    if (granted == required) return true;
    if (!or_higher) return false;
    // Walk up from the required authority; the hierarchy is acyclic (checked by compile()).
    std::size_t steps = 0;
    for (index_t a = authorities.at(required).parent; a != no_index && steps <= authorities.size();
         a = authorities.at(a).parent, ++steps)
        if (a == granted) return true;
    return false;
}

bool rule_set::covers_unit(index_t u) const {
    if (u == no_index) return false;
    if (u < covered_units_.size()) return covered_units_[u];
    return std::any_of(rules.begin(), rules.end(), [&](const rule& r) {
        return (r.kind == rule_kind::requirement || r.kind == rule_kind::moratorium) && r.units.contains(u);
    });
}

void rule_set::build_index() {
    rank_names_ = index_names(ranks);
    authority_names_ = index_names(authorities);
    unit_names_ = index_names(units);
    service_names_ = index_names(services);
    level_names_ = index_names(levels);
    // Slot per rank plus one for rules with no rank condition; per action.
    const std::size_t rank_slots = ranks.size() + 1;
    by_rank_action_.assign(rank_slots * action_count, {});
    windowed_.clear();
    epoch_starts_.clear();
    positions_.clear();
    checks_.clear();
    covered_units_.assign(units.size(), false);
    for (std::uint32_t i = 0; i < rules.size(); ++i) {
        const rule& r = rules[i];
        if (r.kind != rule_kind::requirement && r.kind != rule_kind::moratorium) {
            checks_.push_back(i);
            continue;
        }
        for (std::size_t u = 0; u < units.size(); ++u)
            if (r.units.contains(static_cast<index_t>(u))) covered_units_[u] = true;
        for (std::size_t a = 0; a < action_count; ++a) {
            if (!r.applies_to_action(static_cast<action>(a))) continue;
            if (r.ranks.any) {
                by_rank_action_[ranks.size() * action_count + a].push_back(i);
            } else {
                for (const index_t k : r.ranks.members) by_rank_action_[k * action_count + a].push_back(i);
            }
        }
        if (r.window) windowed_.push_back(i);
        if (r.in_force.from != date::min()) epoch_starts_.push_back(r.in_force.from);
        if (r.in_force.until != date::max()) epoch_starts_.push_back(r.in_force.until + 1);
        positions_.insert(positions_.end(), r.positions.begin(), r.positions.end());
    }
    std::sort(epoch_starts_.begin(), epoch_starts_.end());
    epoch_starts_.erase(std::unique(epoch_starts_.begin(), epoch_starts_.end()), epoch_starts_.end());
    std::sort(positions_.begin(), positions_.end());
    positions_.erase(std::unique(positions_.begin(), positions_.end()), positions_.end());
}

std::uint32_t rule_set::epoch_of(date on) const {
    return static_cast<std::uint32_t>(std::upper_bound(epoch_starts_.begin(), epoch_starts_.end(), on) -
                                      epoch_starts_.begin());
}

std::uint64_t rule_set::window_bits(const match_query& q) const {
    std::uint64_t bits = 0;
    for (std::size_t j = 0; j < windowed_.size(); ++j) {
        const bool holds = q.calendar == nullptr || in_window(rules[windowed_[j]], q);
        bits |= std::uint64_t{holds} << j;
    }
    return bits;
}

std::optional<match_key> rule_set::key_of(const match_query& q) const {
    // candidates() reads, of the query: the rank, action, level, unit, reason
    // and vacancy as they are (the first word); the date only through which
    // rules are in force, the same from one epoch start to the next, and
    // through the windows (test() reads them only with a calendar: without
    // one, every window holds); the position only through which rules name it.
    if (windowed_.size() > 64) return std::nullopt;
    match_key key;
    // The first word, from bit 0: rank (16 bits), action (3), level (16),
    // unit (16), reason + 1 (3; 0: none), vacancy + 1 (2; 0: unknown).
    static_assert(std::numeric_limits<index_t>::digits == 16, "a rank, level or unit index takes 16 bits");
    static_assert(static_cast<std::size_t>(action::inaugurate) + 1 == action_count && action_count <= 8,
                  "an action takes 3 bits");
    static_assert(static_cast<std::size_t>(reason::definitive) + 1 == reason_count && reason_count + 1 <= 8,
                  "a reason + 1 takes 3 bits");
    const auto why = q.why ? static_cast<std::uint64_t>(*q.why) + 1 : 0;
    const auto vacant = q.vacant ? static_cast<std::uint64_t>(*q.vacant) + 1 : 0;
    key.post = std::uint64_t{q.rank} | std::uint64_t{static_cast<std::uint8_t>(q.act)} << 16 |
               std::uint64_t{q.level} << 19 | std::uint64_t{q.unit} << 35 | why << 51 | vacant << 54;
    std::uint64_t position = 0;  // not named by any rule; else 1 + its index in positions_
    if (!positions_.empty()) {
        const auto it = std::lower_bound(positions_.begin(), positions_.end(), q.position);
        if (it != positions_.end() && *it == q.position) position = 1 + static_cast<std::uint64_t>(it - positions_.begin());
    }
    std::uint32_t epoch = 0;
    if (q.dates != nullptr && !q.dates->spans.empty() && q.dates->spans.front().start <= q.on) {
        const std::vector<key_dates::span>& spans = q.dates->spans;
        const auto after = std::upper_bound(spans.begin(), spans.end(), q.on,
                                            [](date on, const key_dates::span& s) { return on < s.start; });
        const key_dates::span& in = *std::prev(after);
        epoch = in.epoch;
        key.windows = in.windows;
    } else {
        epoch = epoch_of(q.on);
        key.windows = window_bits(q);
    }
    key.moment = std::uint64_t{epoch} | position << 32;
    return key;
}

void rule_set::key_dates_of(const region_calendar* c, const std::vector<std::vector<period>>& windows,
                            key_dates& out) const {
    out.spans.clear();
    if (windowed_.size() > 64) return;
    // Keys change only on an epoch start or on the first day in or out of a window.
    std::vector<date> starts{date::min()};
    starts.insert(starts.end(), epoch_starts_.begin(), epoch_starts_.end());
    match_query q;
    q.calendar = c;
    q.windows = &windows;
    if (c != nullptr) {
        for (const std::uint32_t i : windowed_) {
            const auto add_period = [&](const period& p) {
                starts.push_back(p.from);
                if (p.until != date::max()) starts.push_back(p.until + 1);
            };
            if (i < windows.size()) {
                for (const period& p : windows[i]) add_period(p);
            } else {
                for (const period& p : c->windows(*rules[i].window)) add_period(p);
            }
        }
    }
    std::sort(starts.begin(), starts.end());
    starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
    // (a period may start before date::min(): the dates before it have none)
    starts.erase(starts.begin(), std::lower_bound(starts.begin(), starts.end(), date::min()));
    out.spans.reserve(starts.size());
    for (const date start : starts) {
        q.on = start;
        out.spans.push_back({start, epoch_of(start), window_bits(q)});
    }
}

std::string_view to_string(mismatch m) {
    switch (m) {
    case mismatch::none: return "none";
    case mismatch::out_of_force: return "out_of_force";
    case mismatch::rank: return "rank";
    case mismatch::action: return "action";
    case mismatch::level: return "level";
    case mismatch::unit: return "unit";
    case mismatch::reason: return "reason";
    case mismatch::vacant: return "vacant";
    case mismatch::position: return "position";
    case mismatch::window: return "window";
    }
    return "?";
}

mismatch rule_set::test(const rule& r, const match_query& q) const {
    if (!r.in_force.contains(q.on)) return mismatch::out_of_force;
    if (q.rank == no_index || !r.ranks.contains(q.rank)) return mismatch::rank;
    if (!r.applies_to_action(q.act)) return mismatch::action;
    if (!r.levels.contains(q.level)) return mismatch::level;
    if (q.unit == no_index || !r.units.contains(q.unit)) return mismatch::unit;
    if (r.has_reason_filter && (!q.why || !r.reason_filter[static_cast<std::size_t>(*q.why)])) return mismatch::reason;
    if (r.vacant_only && q.vacant && !*q.vacant) return mismatch::vacant;
    if (!r.positions.empty() && std::find(r.positions.begin(), r.positions.end(), q.position) == r.positions.end())
        return mismatch::position;
    if (r.window && q.calendar && !in_window(r, q)) return mismatch::window;
    return mismatch::none;
}

bool rule_set::in_window(const rule& r, const match_query& q) const {
    const auto i = static_cast<std::size_t>(&r - rules.data());
    if (q.windows == nullptr || i >= q.windows->size()) return q.calendar->within(*r.window, q.on);
    const std::vector<period>& periods = (*q.windows)[i];
    return std::any_of(periods.begin(), periods.end(), [&](const period& p) { return p.contains(q.on); });
}

std::vector<std::uint32_t> rule_set::candidates(const match_query& q) const {
    std::vector<std::uint32_t> out;
    candidates(q, out);
    return out;
}

void rule_set::candidates(const match_query& q, std::vector<std::uint32_t>& out) const {
    out.clear();
    // Posts without a declared rank or unit (staff, functional posts, other agencies) are not covered.
    if (q.rank == no_index || q.unit == no_index || by_rank_action_.empty()) return;
    const std::size_t a = static_cast<std::size_t>(q.act);
    for (const std::size_t slot : {static_cast<std::size_t>(q.rank) * action_count + a, ranks.size() * action_count + a})
        for (const std::uint32_t i : by_rank_action_[slot])
            if (test(rules[i], q) == mismatch::none) out.push_back(i);
    std::sort(out.begin(), out.end());
}

bool rule_set::sets_aside(std::uint32_t j, std::uint32_t i) const {
    if (j == i || rules[j].kind != rules[i].kind) return false;
    const auto& o = rules[j].overrides;
    return std::find(o.begin(), o.end(), i) != o.end();
}

std::optional<std::uint32_t> rule_set::overridden_by(std::uint32_t i, const std::vector<std::uint32_t>& found) const {
    for (const std::uint32_t j : found)
        if (sets_aside(j, i)) return j;
    return std::nullopt;
}

std::vector<std::uint32_t> rule_set::applicable(const match_query& q) const {
    std::vector<std::uint32_t> out;
    applicable(q, out);
    return out;
}

void rule_set::applicable(const match_query& q, std::vector<std::uint32_t>& out) const {
    candidates(q, out);
    // A candidate is set aside by any other candidate, itself set aside or not:
    // mark them all against the whole list first (in the top bit, far above any
    // rule index), then drop the marked ones.
    constexpr std::uint32_t set_aside = 0x80000000u;
    constexpr std::uint32_t index_bits = set_aside - 1;
    for (std::uint32_t& i : out)
        for (const std::uint32_t j : out)
            if (sets_aside(j & index_bits, i & index_bits)) {
                i |= set_aside;
                break;
            }
    std::erase_if(out, [](std::uint32_t i) { return (i & set_aside) != 0; });
}

bool rule::covers_post(index_t unit, index_t rank, index_t level, std::string_view position) const {
    return units.contains(unit) && ranks.contains(rank) && levels.contains(level) &&
           (positions.empty() || std::find(positions.begin(), positions.end(), position) != positions.end());
}

const rule* rule_set::check_rule(rule_kind kind, date on, index_t unit, index_t rank, index_t level,
                                 std::string_view position) const {
    for (const std::uint32_t i : checks_) {
        const rule& r = rules[i];
        if (r.kind == kind && r.in_force.contains(on) && r.covers_post(unit, rank, level, position)) return &r;
    }
    return nullptr;
}

std::string_view to_string(anchor a) {
    switch (a) {
    case anchor::inauguration: return "inauguration";
    case anchor::candidates: return "candidates";
    case anchor::term_end: return "term_end";
    }
    return "?";
}

std::optional<anchor> parse_anchor(std::string_view s) {
    for (const anchor a : {anchor::inauguration, anchor::candidates, anchor::term_end})
        if (to_string(a) == s) return a;
    return std::nullopt;
}

namespace {

// The period a window covers around one anchor date; `end` is the date of
// `until` from the same fact, when the window names one.
period window_around(const region_window& w, date at, std::optional<date> end) {
    period p;
    const date moved = w.months ? at.plus_months(w.before ? -w.amount : w.amount) : at + (w.before ? -w.amount : w.amount);
    if (w.before) {
        p.from = moved;
        p.until = end ? *end : at;
    } else {
        p.from = at;
        p.until = end ? *end : moved + -1;
    }
    return p;
}

// Calls f with the period of `w` around each fact of the calendar.
template <typename F>
void each_window(const region_calendar& c, const region_window& w, F f) {
    if (w.caretaker) {
        for (const period& p : c.caretakers) f(p);
        return;
    }
    if (w.from == anchor::inauguration) {
        for (const date d : c.inaugurations) f(window_around(w, d, std::nullopt));
        return;
    }
    const auto date_of = [](const region_calendar::election& e, anchor a) {
        return a == anchor::candidates ? e.candidates : e.term_end;
    };
    for (const region_calendar::election& e : c.elections)
        f(window_around(w, date_of(e, w.from), w.until ? std::optional<date>(date_of(e, *w.until)) : std::nullopt));
}

}  // namespace

std::vector<period> region_calendar::windows(const region_window& w) const {
    std::vector<period> out;
    each_window(*this, w, [&](const period& p) { out.push_back(p); });
    return out;
}

void rule_set::window_periods(const region_calendar& c, std::vector<std::vector<period>>& out) const {
    out.resize(rules.size());
    for (std::size_t i = 0; i < rules.size(); ++i) {
        out[i].clear();
        if (rules[i].window) each_window(c, *rules[i].window, [&](const period& p) { out[i].push_back(p); });
    }
}

bool region_calendar::within(const region_window& w, date on) const {
    bool found = false;
    each_window(*this, w, [&](const period& p) { found = found || p.contains(on); });
    return found;
}

}  // namespace patuh
