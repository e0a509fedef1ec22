// The two-view engine: per covered post, the de facto holder (what the region
// decreed) and the de jure holder (what the centre recognises). Rules decide
// which changes the centre recognises; findings are the spans in which the two
// views differ.

#include <patuh/engine.hpp>

#include "eval/engine_tables.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <cstring>
#include <deque>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace patuh {

std::string_view to_string(close_cause c) {
    switch (c) {
    case close_cause::reinstated: return "reinstated";
    case close_cause::approved: return "approved";
    case close_cause::installed: return "installed";
    case close_cause::post_changed: return "post_changed";
    case close_cause::left_post: return "left_post";
    case close_cause::exempt: return "exempt";
    }
    return "?";
}

namespace {

std::optional<person> person_of(const std::optional<holder>& h) {
    if (!h) return std::nullopt;
    return h->who;
}

// Copies a holder's person into `to`, reusing the storage `to` already has.
void assign_person(std::optional<person>& to, const std::optional<holder>& from) {
    if (!from) {
        to.reset();
        return;
    }
    if (!to) to.emplace();
    to->nip = from->who.nip;
    to->name = from->who.name;
}

// A person as a number, for the maps keyed by person: the NIP's digits after
// a leading 1, so that "" and "0" differ. The readers give 18 digits or
// nothing; other text gets a number from engine::state::other_nips.
using nip_key = engine_tables::nip_key;
constexpr nip_key first_other_nip = nip_key{1} << 63;

// People are compared by their keys (one per NIP): `ka` is
// the key of a's person and `kb` of b's, read only when there is one.
bool same_person(const std::optional<holder>& a, nip_key ka, const std::optional<holder>& b, nip_key kb) {
    if (!a || !b) return !a && !b;
    return ka == kb;
}

// The same person in the same capacity: a recognised acting holder made
// definitive by the region is not yet what the centre recognises.
bool same_holding(const std::optional<holder>& a, nip_key ka, const std::optional<holder>& b, nip_key kb) {
    return same_person(a, ka, b, kb) && (!a || a->acting == b->acting);
}

// Eight ASCII digits as a number, or nothing when one byte is not a digit
// (all eight at once: a digit's high nibble is 3, and stays 3 with 6 added).
std::optional<std::uint64_t> eight_digits(const char* text) {
    constexpr std::uint64_t high = 0xF0F0F0F0F0F0F0F0ull;
    std::uint64_t v = 0;
    std::memcpy(&v, text, sizeof v);
    if (((v & high) | (((v + 0x0606060606060606ull) & high) >> 4)) != 0x3333333333333333ull) return std::nullopt;
    v -= 0x3030303030303030ull;
    v = v * 10 + (v >> 8);  // pairs of digits (the first digit is the lowest byte)
    v = (((v & 0x000000FF000000FFull) * (100 + (1000000ull << 32))) +
         (((v >> 16) & 0x000000FF000000FFull) * (1 + (10000ull << 32)))) >>
        32;
    return v;
}

std::optional<nip_key> digits_key(std::string_view nip) {
    constexpr std::size_t nip_digits = 18;
    if (nip.size() == nip_digits && nip[0] >= '0' && nip[0] <= '9' && nip[1] >= '0' && nip[1] <= '9') {
        const auto high = eight_digits(nip.data() + 2);
        const auto low = eight_digits(nip.data() + 10);
        if (!high || !low) return std::nullopt;
        const auto first = static_cast<nip_key>((nip[0] - '0') * 10 + (nip[1] - '0'));
        return 1'000'000'000'000'000'000ull + first * 10'000'000'000'000'000ull + *high * 100'000'000ull + *low;
    }
    if (nip.size() > nip_digits) return std::nullopt;
    nip_key key = 1;
    for (const char c : nip) {
        if (c < '0' || c > '9') return std::nullopt;
        key = key * 10 + static_cast<nip_key>(c - '0');
    }
    return key;
}

// The next de facto holder of a post: `who` (nullptr: nobody) from `since`.
struct next_holder {
    const person* who = nullptr;
    nip_key key = 0;
    date since;
    bool acting = false;
    // A dismissal of someone other than the holder, who stays: the person it
    // dismisses. Recognised, it ends the centre's recognition of that person
    // (when the centre recognised them), and recognises no one in their place.
    std::optional<nip_key> dismissed_other;
};

// A change waiting for an approval that may still arrive in time (`within N days`).
struct pending_approval {
    std::uint32_t rule;
    date effective;
    date deadline;
    std::string event_id;
    std::string source;
    std::uint64_t line;
    event_kind kind;
    std::optional<holder> facto;  // the change it waits for
    std::optional<holder> jure;   // recognised before it
    bool jure_known;
};

struct region_track;

// An open violation of a post: its slot in engine::state::slots, and its rule
// (kept here, so that looking for a rule's violation reads no finding).
struct violation_ref {
    std::size_t slot;
    std::uint32_t rule;
};

// The last record applied to a post, or of one kind to a region: a
// fingerprint of what it says, with its id when it names no decree or
// letter by number, and where it was read. The same record right after it
// is a duplicate (duplicate_records): the same with the same id, or the
// same naming its decree or letter by number (two records that say the same
// without a number, under other ids, may be two events).
struct record_place {
    std::uint64_t line = 0;
    std::uint32_t source = 0;  // index into engine::state::sources
};
struct record_mark {
    std::uint64_t fingerprint = 0;  // 0: none
    record_place place;
};

// A fingerprint of what a record says that the engine uses: its kind, date
// and person, the regional decree, the approvals, and for a region's letters
// their number, issuer, deadline and services. Never 0.
std::uint64_t fingerprint(const event& e) {
    using engine_tables::text_hash;
    const text_hash text;
    std::uint64_t h = text_hash::mix(static_cast<std::uint64_t>(e.kind) + 1, static_cast<std::uint64_t>(e.effective.days()));
    const auto add = [&](std::uint64_t word) { h = text_hash::mix(h, word); };
    const auto add_date = [&](const std::optional<date>& d) { add(d ? static_cast<std::uint64_t>(d->days()) + 1 : 0); };
    add(text(e.who.nip));
    add(text(e.regional_decree.number));
    add_date(e.regional_decree.issued);
    for (const approval& a : e.approvals) {
        add(a.authority);
        add(text(a.number));
        add(static_cast<std::uint64_t>(a.issued.days()));
        add(text(a.nip));
        add(text(a.position));
    }
    add(text(e.letter));
    add(text(e.issuer));
    add_date(e.deadline);
    for (const index_t s : e.services) add(s);
    add(e.why ? static_cast<std::uint64_t>(*e.why) + 1 : 0);
    add(e.concurrent);
    return h == 0 ? 1 : h;
}

// The fields every change reads come first, so that they share the post's
// first cache lines; the text is further back.
struct post {
    region_track* track = nullptr;  // the region's entry in engine::state::regions
    index_t level = no_index;
    index_t unit = no_index;
    index_t rank = no_index;
    date last_change = date::min();
    bool jure_known = false;  // false until some holder is recognised or confirmed
    // The fingerprint of the last record about the post (record_mark), cut to
    // 32 bits to fit beside jure_known; a duplicate must also be of the day
    // of the post's last change (0: none).
    std::uint32_t record_mark = 0;
    nip_key facto_key = 0;  // facto's person, while there is one
    nip_key jure_key = 0;   // jure's person, while there is one
    std::vector<violation_ref> open;  // open violations
    std::vector<pending_approval> pending;
    std::optional<date> install_by;     // an approved person must be installed by then
    std::optional<std::size_t> vacancy_notice;
    std::optional<std::size_t> double_post;
    std::optional<holder> facto;
    std::optional<holder> jure;
    std::optional<date> approved_on;
    std::string region;
    std::string position;  // as first written
    std::string_view position_key;  // the tail of the post's key in engine::state::post_keys (nodes never move)
    std::string approval_event;
    // engine_options::history only: the post's timeline in engine::state::recorded.
    std::uint32_t timeline = post_histories::no_timeline;
    record_place mark_place;  // where the record of record_mark was read
};

using engine_tables::judging_memo;
using engine_tables::name_table;
using holding_table = engine_tables::holding_table<post>;

struct region_track {
    region_state state;
    bool reported = true;  // in engine_options::regions: its findings, state and timelines go in the result
    int open_violations = 0;
    region_calendar calendar;
    std::vector<std::vector<period>> windows;  // the calendar's windows, by rule (rule_set::window_periods)
    key_dates dates;  // the calendar's key_dates (rule_set::key_dates_of), for judging_rules
    date latest_change = date::min();  // of personnel changes already judged in the region
    record_mark last_warning, last_cutoff, last_restore;  // the region's last letter of each kind
};

// A finding while it is open. Slots are reused after the finding closes, so
// the next finding's text goes into storage already there.
struct open_slot {
    finding f;
    region_track* track = nullptr;
    bool open = false;
};

}  // namespace

struct engine::state {
    const rule_set& rules;
    engine_options options;
    // Posts by number, in the order they were made; they never move.
    std::deque<post> posts;
    // The posts by key ("73.73" 0x1f unit 0x1f normalised position). The
    // order of this map decides the order in which finish() visits posts.
    std::unordered_map<std::string, std::uint32_t> post_keys;
    // The posts by the spellings of their positions in events.
    name_table spellings;
    holding_table held_by;  // person → covered posts held definitively
    std::unordered_map<nip_key, post*> doubles;  // person → post with an open double-post finding
    std::vector<nip_key> released;               // people who left a post during this event
    // NIPs that are not digits (only from events made without a reader), numbered from first_other_nip.
    std::unordered_map<std::string, nip_key> other_nips;
    std::map<std::string, region_track> regions;
    // Region code → its number in region_list (entries of `regions`, whose
    // nodes never move), for one probe per event.
    name_table region_numbers;
    std::vector<region_track*> region_list;
    // Findings still open, in slots (post::open and the others hold slot
    // numbers); a finding moves to `done` when it closes, and the rest when
    // the report is made.
    std::deque<open_slot> slots;  // grows without moving its slots or keeping room spare
    std::vector<std::size_t> free_slots;
    std::uint64_t next_seq = 0;
    finding_list done;
    std::unordered_set<post*> flagged;  // engine_options::history: posts with findings
    std::uint64_t evaluated = 0;
    std::uint64_t after_as_of = 0;
    std::vector<std::uint64_t> judged;
    date latest = date::min();
    date latest_holder_change = date::min();  // of the changes of holders judged
    std::vector<std::string> sources;  // the inputs' names, as record_mark::source numbers them
    duplicate_records duplicates;
    bool duplicate = false;  // the event being added is a duplicate (fresh_record)
    std::uint32_t last_source = 0;
    date_order_breaks order_breaks;
    // engine_options::history only: the posts' views over time; the posts
    // that have findings are added by finish().
    post_histories recorded;
    // Storage reused from event to event (personnel and change_post never nest).
    std::string key_buf;
    std::string position_buf;
    std::optional<holder> jure_before_buf;  // change_post: the holder a recognised change replaces
    std::vector<std::uint32_t> judging_buf;
    std::vector<std::uint32_t> violated_buf;
    std::vector<std::uint32_t> waiting_buf;
    std::vector<post*> moving_buf;
    judging_memo judging_rules_by_key;  // judging_rules

    state(const rule_set& r, engine_options o)
        : rules(r),
          options(o),
          done(o.findings_in_memory),
          judged(r.rules.size(), 0),
          recorded(o.histories_in_memory, o.history_chunk_bytes) {}

    // ---- bookkeeping -----------------------------------------------------------

    region_track& region_of(const event& e) {
        const std::uint64_t h = name_table::hash(e.region, 0, {});
        if (const std::uint32_t n = region_numbers.find(h, e.region, 0, {}); n != name_table::none)
            return *region_list[n];
        const auto it = regions.try_emplace(e.region).first;
        region_track& r = it->second;
        if (r.state.code.empty()) {
            r.state.code = e.region;
            r.state.level = e.level;
            r.reported = region_selected(options.regions, e.region);
            rules.key_dates_of(&r.calendar, r.windows, r.dates);
        }
        region_numbers.insert(h, e.region, 0, {}, static_cast<std::uint32_t>(region_list.size()));
        region_list.push_back(&r);
        return r;
    }

    // "73.73" 0x1f unit number 0x1f normalised position. (The keys decide the
    // order in which finish() visits posts, so they stay as they are.)
    static void post_key(std::string& key, std::string_view region, index_t unit, std::string_view position_key) {
        char digits[8];
        const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, unit);
        (void)ec;  // an index_t always fits
        key.clear();
        key.reserve(region.size() + position_key.size() + 8);
        key.append(region);
        key.push_back('\x1f');
        key.append(digits, end);
        key.push_back('\x1f');
        key.append(position_key);
    }
    static std::string post_key(std::string_view region, index_t unit, std::string_view position_key) {
        std::string key;
        post_key(key, region, unit, position_key);
        return key;
    }

    // The post an event names, made when new; nullptr with `why` filled when the
    // event is dated before the last change already applied to it (a new post
    // has none). A spelling already seen costs one probe of `spellings` (with
    // `spelt`, the hash of the event's spelling) and no allocation.
    post* post_for(const event& e, region_track& region, std::uint64_t spelt, rejection& why) {
        const std::uint32_t number = spellings.find(spelt, e.region, e.unit, e.position);
        bool fresh = false;
        post* known = number == name_table::none ? nullptr : &posts[number];
        if (known == nullptr) {
            normalise_position(e.position, position_buf);
            post_key(key_buf, e.region, e.unit, position_buf);
            const auto [it, made] = post_keys.try_emplace(key_buf, static_cast<std::uint32_t>(posts.size()));
            fresh = made;
            if (fresh) posts.emplace_back();
            known = &posts[it->second];
            if (fresh) {
                known->region = e.region;
                known->track = &region;
                known->level = e.level;
                known->unit = e.unit;
                known->position = e.position;
                known->position_key = std::string_view(it->first).substr(key_buf.size() - position_buf.size());
            }
            spellings.insert(spelt, e.region, e.unit, e.position, it->second);
        }
        post& p = *known;
        if (!fresh && e.effective < p.last_change) {
            why = out_of_order(e, p.last_change);
            return nullptr;
        }
        if (e.rank != no_index) p.rank = e.rank;
        return &p;
    }

    nip_key key_of(const std::string& nip) {
        if (const auto digits = digits_key(nip)) return *digits;
        return other_nips.try_emplace(nip, first_other_nip + other_nips.size()).first->second;
    }

    void hold(post& p, nip_key who) { held_by.add(who, &p); }

    void release(post& p, nip_key who) { held_by.remove(who, &p); }

    // Puts `next` in place of the post's de facto holder, in the storage the
    // holder already has (`next` may name the present holder itself).
    void set_facto(post& p, const next_holder& next) {
        if (p.facto && !p.facto->acting) {
            release(p, p.facto_key);
            released.push_back(p.facto_key);
        }
        if (next.who == nullptr) {
            p.facto.reset();
            return;
        }
        if (!p.facto) p.facto.emplace();
        holder& h = *p.facto;
        if (&h.who != next.who) {
            h.who.nip = next.who->nip;
            h.who.name = next.who->name;
        }
        h.since = next.since;
        h.acting = next.acting;
        p.facto_key = next.key;
        if (!h.acting) hold(p, p.facto_key);
    }

    // Opens a finding in a free slot and returns the slot; every field but
    // `fix` is set (the overload below and open_violation set it).
    std::size_t open_finding(const rule& r, std::uint32_t rule_index, post& p, const std::string& event_id,
                             const std::string& source, std::uint64_t line, event_kind kind, date opened,
                             const std::optional<holder>& facto, const std::optional<holder>& jure, bool jure_known) {
        std::size_t slot = slots.size();
        if (free_slots.empty()) {
            slots.emplace_back();
        } else {
            slot = free_slots.back();
            free_slots.pop_back();
        }
        open_slot& s = slots[slot];
        s.track = p.track;
        s.open = true;
        // Every field is set: the slot may hold a finding closed before.
        static_assert(sizeof(finding) == 552, "a field was added to finding: set it here too");
        finding& f = s.f;
        f.seq = next_seq++;
        f.event_id = event_id;
        f.source = source;
        f.line = line;
        f.rule = rule_index;
        f.sev = r.sev;
        f.kind = kind;
        f.region = p.region;
        f.level = p.level;
        f.unit = p.unit;
        f.position = p.position;
        f.rank = p.rank;
        assign_person(f.de_facto, facto);
        f.de_facto_acting = facto && facto->acting;
        if (jure_known) {
            assign_person(f.de_jure, jure);
        } else {
            f.de_jure.reset();
        }
        f.de_jure_acting = jure_known && jure && jure->acting;
        f.opened = opened;
        f.closed.reset();
        f.closed_because.reset();
        f.closed_by.clear();
        if (options.history && p.track->reported) flagged.insert(&p);
        return slot;
    }

    std::size_t open_finding(const rule& r, std::uint32_t rule_index, post& p, const std::string& event_id,
                             const std::string& source, std::uint64_t line, event_kind kind, date opened,
                             const std::optional<holder>& facto, const std::optional<holder>& jure, bool jure_known,
                             remedy fix) {
        const std::size_t slot = open_finding(r, rule_index, p, event_id, source, line, kind, opened, facto, jure,
                                              jure_known);
        slots[slot].f.fix = std::move(fix);
        return slot;
    }

    std::uint32_t rule_index(const rule* r) const { return static_cast<std::uint32_t>(r - rules.rules.data()); }

    // What a violation's remedy is built from: a post's level and its views as
    // of the change, which may differ from the post's present ones.
    struct remedy_basis {
        index_t level;
        const std::optional<holder>& facto;
        const std::optional<holder>& jure;
        bool jure_known;
        bool install_awaited;  // an approved person is still to be installed
    };

    // Sets every field of `fix`, in the storage it already has.
    static void violation_remedy(const rule& r, const remedy_basis& p, remedy& fix) {
        fix.kind = r.need == demand::forbidden ? remedy_kind::reinstate_only : remedy_kind::reinstate_or_approve;
        if (p.jure_known && p.jure) {
            assign_person(fix.reinstate, p.jure);
        } else {
            fix.reinstate.reset();
        }
        fix.reinstate_acting = p.jure_known && p.jure && p.jure->acting;
        fix.never_installed = fix.reinstate && p.install_awaited;
        fix.approve.reset();
        fix.authority = no_index;
        fix.route.clear();
        if (r.need == demand::approval) {
            assign_person(fix.approve, p.facto);
            fix.authority = r.authority;
            if (const route* rt = r.route_for(p.level)) fix.route = rt->chain;
        }
    }

    // Opens a violation of rule `i` on post `p`, dated at the change that made
    // it, with the post's views as of that change, and its remedy.
    void open_violation(post& p, std::uint32_t i, const std::string& event_id, const std::string& source,
                        std::uint64_t line, event_kind kind, date effective, const std::optional<holder>& facto,
                        const std::optional<holder>& jure, bool jure_known) {
        const rule& r = rules.rules[i];
        const std::size_t slot = open_finding(r, i, p, event_id, source, line, kind, effective, facto, jure, jure_known);
        const remedy_basis view{p.level, facto, jure, jure_known, p.install_by.has_value()};
        violation_remedy(r, view, slots[slot].f.fix);
        p.open.push_back({slot, i});
        if (r.sev != severity::info) p.track->open_violations++;
    }

    // ---- judging a change ---------------------------------------------------------

    // satisfied: no approval needed (or the recognised holder returns);
    // approved: an approval on the event satisfies the rule.
    enum class verdict { satisfied, approved, violated, pending };

    bool approval_matches(const rule& r, const approval& a, const person& subject, std::string_view position_key,
                          date effective, bool late_ok) const {
        return check_approval(rules, r, a, subject.nip, position_key, effective, late_ok) == approval_fault::none;
    }

    verdict judge(const rule& r, const event& e, const post& p, const person& subject, const next_holder& next) const {
        if (r.need == demand::allowed) return verdict::satisfied;
        // Installing or returning the person the centre already recognises as this
        // post's definitive holder. A recognised acting holder made definitive is a
        // new appointment (exempt only where a rule says `exempt definitive`).
        if (next.who != nullptr && !next.acting && p.jure_known && p.jure && !p.jure->acting &&
            p.jure_key == next.key)
            return verdict::satisfied;
        if (r.need == demand::forbidden) return verdict::violated;
        for (const approval& a : e.approvals)
            if (approval_matches(r, a, subject, p.position_key, e.effective, false)) return verdict::approved;
        if (r.timing == ast::timing_kind::within_days) return verdict::pending;
        return verdict::violated;
    }

    // Rules that judge a change of `act` on post `p` on `on`, exemptions applied, into `found`
    // (remembered by the query's match key: judging_memo).
    void judging_rules(const post& p, action act, date on, std::optional<reason> why,
                       std::vector<std::uint32_t>& found) {
        match_query q;
        q.on = on;
        q.rank = p.rank;
        q.act = act;
        q.level = p.level;
        q.unit = p.unit;
        q.position = p.position_key;
        q.why = why;
        q.vacant = !p.facto;
        q.calendar = &p.track->calendar;
        q.windows = &p.track->windows;
        q.dates = &p.track->dates;
        const std::optional<match_key> key = rules.key_of(q);
        if (key) {
            if (const auto known = judging_rules_by_key.find(*key)) {
                found.assign(known->begin(), known->end());
                return;
            }
        }
        rules.applicable(q, found);
        if (why)
            std::erase_if(found, [&](std::uint32_t i) { return rules.rules[i].exempt[static_cast<std::size_t>(*why)]; });
        if (key) judging_rules_by_key.insert(*key, found);
    }

    // Applies a change to one post: judge it, move the de facto holder, update the
    // de jure holder when the change is recognised, open or close findings.
    void change_post(post& p, const event& e, action act, const next_holder& next, const person& subject,
                     std::optional<reason> why) {
        // set_facto below looks up the holder's entry: fetch it while the change is judged.
        if (p.facto && !p.facto->acting) held_by.prefetch(p.facto_key);
        expire(p, e.effective);
        std::vector<std::uint32_t>& judging = judging_buf;
        std::vector<std::uint32_t>& violated = violated_buf;
        std::vector<std::uint32_t>& waiting = waiting_buf;
        judging_rules(p, act, e.effective, why, judging);
        violated.clear();
        waiting.clear();
        bool by_approval = false;  // an approval on the event satisfied a rule
        for (const std::uint32_t i : judging) {
            ++judged[i];
            switch (judge(rules.rules[i], e, p, subject, next)) {
            case verdict::satisfied: break;
            case verdict::approved: by_approval = true; break;
            case verdict::violated: violated.push_back(i); break;
            case verdict::pending: waiting.push_back(i); break;
            }
        }

        // The holder recognised before this change: p.jure itself, unless the
        // change is recognised and replaces it (then swapped out first, so
        // that p.jure takes up the storage of an earlier one).
        const bool recognised = violated.empty() && waiting.empty();
        const nip_key jure_before_key = p.jure_key;
        if (recognised) p.jure.swap(jure_before_buf);
        const std::optional<holder>& jure_before = recognised ? jure_before_buf : p.jure;
        const bool jure_known_before = p.jure_known;
        set_facto(p, next);
        p.last_change = e.effective;
        // A change supersedes approvals still awaited for an earlier one.
        p.pending.clear();

        if (recognised && next.dismissed_other) {
            // The holder stays as the region put them, unrecognised unless
            // they were; the person dismissed is no longer recognised.
            if (jure_before && jure_before_key == *next.dismissed_other) p.jure.reset();
            else p.jure = jure_before;
        } else if (recognised) {
            // Recognised: the centre's view follows the region's.
            p.jure = p.facto;
            p.jure_key = p.facto_key;
            p.jure_known = true;
        }
        for (const std::uint32_t i : waiting)
            p.pending.push_back({i, e.effective, e.effective + rules.rules[i].days, e.id, e.source, e.line, e.kind,
                                 p.facto, jure_before, jure_known_before});
        // A change that leaves the post as the centre already sees it diverges from nothing.
        if (jure_known_before && same_holding(p.facto, p.facto_key, jure_before, jure_before_key)) violated.clear();
        for (const std::uint32_t i : violated) {
            const bool already_open =
                std::any_of(p.open.begin(), p.open.end(), [&](const violation_ref& v) { return v.rule == i; });
            // The remedy names the holder recognised before this change.
            if (!already_open)
                open_violation(p, i, e.id, e.source, e.line, e.kind, e.effective, p.facto, jure_before,
                               jure_known_before);
        }
        // The centre now recognises someone else: an approval on the event
        // did it, or the change needed none (an acting appointment the rules
        // allow, say), or the post fell vacant by a change that needs none
        // (the unapproved holder retired): then the official left the post.
        const bool someone_else = jure_known_before && !same_person(p.jure, p.jure_key, jure_before, jure_before_key);
        close_cause cause = close_cause::reinstated;
        if (someone_else && by_approval) cause = close_cause::approved;
        else if (someone_else && p.facto) cause = close_cause::exempt;
        converge(p, e, cause);
        check_vacancy(p, e);
        remember(p, e.effective);
    }

    // Closes the open findings of a post whose two views agree again.
    void converge(post& p, const event& e, close_cause cause) {
        if (!p.jure_known || !same_holding(p.facto, p.facto_key, p.jure, p.jure_key)) return;
        if (!p.facto && cause == close_cause::reinstated) cause = close_cause::left_post;
        close_all(p, e, cause);
        p.install_by.reset();
    }

    void close_finding(std::size_t slot, const event& e, close_cause cause) {
        open_slot& s = slots[slot];
        finding& x = s.f;
        x.closed = e.effective;
        x.closed_because = cause;
        x.closed_by = e.id;
        if (x.sev != severity::info) {
            region_track& r = *s.track;
            if (--r.open_violations == 0) {
                // A region that complied starts again from the bottom of the ladder.
                r.state.warnings = 0;
                r.state.deadline.reset();
            }
        }
        if (s.track->reported) done.push_back(x);
        s.open = false;
        free_slots.push_back(slot);
    }

    void close_all(post& p, const event& e, close_cause cause) {
        for (const violation_ref& v : p.open) close_finding(v.slot, e, cause);
        p.open.clear();
    }

    // Pending approvals whose time ran out become findings, dated at the change.
    void expire(post& p, date now) {
        // Approvals still awaited move to the front, in order.
        std::size_t kept = 0;
        for (pending_approval& w : p.pending) {
            if (now <= w.deadline) {
                if (&w != &p.pending[kept]) p.pending[kept] = std::move(w);
                ++kept;
                continue;
            }
            open_violation(p, w.rule, w.event_id, w.source, w.line, w.kind, w.effective, w.facto, w.jure, w.jure_known);
        }
        p.pending.erase(p.pending.begin() + static_cast<std::ptrdiff_t>(kept), p.pending.end());
        if (p.install_by && now > *p.install_by && !same_person(p.facto, p.facto_key, p.jure, p.jure_key) && p.open.empty()) {
            if (const rule* r = check_for(rule_kind::not_installed, p, *p.approved_on)) {
                ++judged[rule_index(r)];
                remedy fix;
                fix.kind = remedy_kind::install_approved;
                fix.approve = person_of(p.jure);
                p.open.push_back({open_finding(*r, rule_index(r), p, p.approval_event, {}, 0, event_kind::approve,
                                               *p.approved_on, p.facto, p.jure, true, std::move(fix)),
                                  rule_index(r)});
                if (r->sev != severity::info) p.track->open_violations++;
            }
            p.install_by.reset();
        }
    }

    // The check of a kind consulted for post `p` on a date (rule_set::check_rule).
    const rule* check_for(rule_kind kind, const post& p, date on) const {
        return rules.check_rule(kind, on, p.unit, p.rank, p.level, p.position_key);
    }

    void check_vacancy(post& p, const event& e) {
        if (p.facto) {
            if (p.vacancy_notice) {
                close_finding(*p.vacancy_notice, e, close_cause::installed);
                p.vacancy_notice.reset();
            }
            return;
        }
        if (p.vacancy_notice) return;
        const rule* r = check_for(rule_kind::vacancy, p, e.effective);
        if (r == nullptr) return;
        ++judged[rule_index(r)];
        remedy fix;
        fix.kind = remedy_kind::fill_post;
        p.vacancy_notice = open_finding(*r, rule_index(r), p, e.id, e.source, e.line, e.kind, e.effective, p.facto,
                                        p.jure, p.jure_known, std::move(fix));
        if (r->sev != severity::info) p.track->open_violations++;
    }

    void check_double_post(post& p, const event& e) {
        if (!p.facto || p.facto->acting) return;
        if (p.double_post || held_by.count(p.facto_key) < 2) return;
        const rule* r = check_for(rule_kind::double_post, p, e.effective);
        if (r == nullptr) return;
        ++judged[rule_index(r)];
        remedy fix;
        fix.kind = remedy_kind::leave_one_post;
        fix.approve = p.facto->who;
        p.double_post = open_finding(*r, rule_index(r), p, e.id, e.source, e.line, e.kind, e.effective, p.facto, p.jure,
                                     p.jure_known, std::move(fix));
        doubles[p.facto_key] = &p;
        if (r->sev != severity::info) p.track->open_violations++;
    }

    // A double post ends when the person keeps only one covered post.
    void settle_double_post(nip_key who, const event& e) {
        if (doubles.empty()) return;
        const auto d = doubles.find(who);
        if (d == doubles.end()) return;
        post& p = *d->second;
        const bool still_holds = p.facto && p.facto_key == who;
        if (still_holds && held_by.count(who) >= 2) return;
        if (p.double_post) close_finding(*p.double_post, e, close_cause::left_post);
        p.double_post.reset();
        doubles.erase(d);
    }

    // ---- events ------------------------------------------------------------------------

    bool personnel(const event& e, region_track& region, std::uint64_t spelt, rejection& why) {
        const bool covered = rules.covers_unit(e.unit) && e.rank != no_index;
        const nip_key who = key_of(e.who.nip);
        held_by.prefetch(who);
        const bool moves = e.kind == event_kind::appoint || e.kind == event_kind::transfer ||
                           e.kind == event_kind::inaugurate;
        post* target = nullptr;
        if (covered) {
            target = post_for(e, region, spelt, why);
            if (target == nullptr) return false;
            if (!fresh_change(*target, e)) return true;
            // The region's key dates, whose array add() started fetching, for judging_rules.
            const std::vector<key_dates::span>& spans = region.dates.spans;
            if (!spans.empty()) __builtin_prefetch(&spans[spans.size() / 2]);
        }
        // A definitive move ends the person's other covered posts (unless concurrent).
        if (moves && !e.concurrent) {
            std::vector<post*>& before = moving_buf;  // a copy: change_post edits the list
            held_by.posts_of(who, before);
            for (post* old : before) {
                if (old == target) continue;
                change_post(*old, e, action::transfer, next_holder{}, e.who, e.why);
                old->record_mark = 0;  // changed by a record about another post
            }
        }
        if (target != nullptr) {
            post& p = *target;
            const std::optional<reason> why_here = judged_reason(e, p.facto);
            switch (e.kind) {
            case event_kind::appoint:
            case event_kind::transfer:
            case event_kind::inaugurate:
                change_post(p, e, to_action(e.kind), next_holder{&e.who, who, e.effective, false, {}}, e.who,
                            why_here);
                check_double_post(p, e);
                break;
            case event_kind::acting:
                change_post(p, e, action::acting, next_holder{&e.who, who, e.effective, true, {}}, e.who, why_here);
                break;
            case event_kind::dismiss: {
                // Dismissing someone else leaves the holder in place.
                next_holder next;
                if (p.facto && p.facto_key != who)
                    next = {&p.facto->who, p.facto_key, p.facto->since, p.facto->acting, who};
                change_post(p, e, action::dismiss, next, e.who, why_here);
                break;
            }
            default: break;
            }
        }
        settle_double_post(who, e);
        for (const nip_key other : released) settle_double_post(other, e);
        released.clear();
        return true;
    }

    bool approve(const event& e, region_track& region, std::uint64_t spelt, rejection& why) {
        if (!rules.covers_unit(e.unit) || e.rank == no_index) return true;
        post* const found = post_for(e, region, spelt, why);
        if (found == nullptr) return false;
        post& p = *found;
        // Is some approval on this event enough for an appointment to this post?
        std::vector<std::uint32_t>& judging = judging_buf;
        judging_rules(p, action::appoint, e.effective, std::nullopt, judging);
        const auto accepted = [&](std::uint32_t rule_i, bool late_ok) {
            const rule& r = rules.rules[rule_i];
            if (r.need == demand::allowed) return true;
            if (r.need == demand::forbidden) return false;
            return std::any_of(e.approvals.begin(), e.approvals.end(), [&](const approval& a) {
                return approval_matches(r, a, e.who, p.position_key, a.issued, late_ok);
            });
        };
        // Awaited approvals arriving in time: the change is recognised, no finding.
        // The others move to the front, in order.
        bool recognised = false;
        std::size_t kept = 0;
        for (pending_approval& w : p.pending) {
            const bool for_holder = w.facto && w.facto->who.nip == e.who.nip;
            if (for_holder && e.effective <= w.deadline && accepted(w.rule, true)) {
                recognised = true;
                continue;
            }
            if (&w != &p.pending[kept]) p.pending[kept] = std::move(w);
            ++kept;
        }
        p.pending.erase(p.pending.begin() + static_cast<std::ptrdiff_t>(kept), p.pending.end());
        expire(p, e.effective);
        // Late approvals close the findings they answer; the others move to the front, in order.
        if (p.facto && p.facto->who.nip == e.who.nip) {
            kept = 0;
            for (const violation_ref v : p.open) {
                if (accepted(v.rule, true)) {
                    close_finding(v.slot, e, close_cause::approved);
                    recognised = true;
                } else {
                    p.open[kept++] = v;
                }
            }
            p.open.resize(kept);
            if (recognised && p.open.empty() && p.pending.empty()) {
                p.jure = p.facto;
                p.jure_key = p.facto_key;
                p.jure_known = true;
            }
            remember(p, e.effective);
            return true;
        }
        // An approval for someone who does not hold the post: the centre now
        // recognises that person, who must be installed.
        const bool sufficient = !judging.empty() && std::all_of(judging.begin(), judging.end(),
                                                                [&](std::uint32_t i) { return accepted(i, true); });
        if (!sufficient) return true;
        p.jure = holder{e.who, e.effective, false};
        p.jure_key = key_of(e.who.nip);
        p.jure_known = true;
        if (const rule* r = check_for(rule_kind::not_installed, p, e.effective)) {
            p.install_by = e.effective + r->days;
            p.approved_on = e.effective;
            p.approval_event = e.id;
        }
        remember(p, e.effective);
        return true;
    }

    void warn(const event& e, region_track& r) {
        r.state.warnings++;
        r.state.last_warning = e.effective;
        r.state.deadline = e.deadline;
        mark(r, e, mark_kind::warning);
    }

    // A fact of the region's calendar. Refused when a window it opens starts on
    // or before a change already judged in the region: that change was judged
    // without the window, so the record must come earlier in the log.
    bool calendar(const event& e, region_track& r, rejection& why) {
        region_calendar fact;
        switch (e.kind) {
        case event_kind::head_inaugurated: fact.inaugurations.push_back(e.effective); break;
        case event_kind::caretaker: fact.caretakers.push_back({e.effective, e.until.value_or(date::max())}); break;
        default: fact.elections.push_back({*e.candidates, *e.term_end}); break;
        }
        for (const rule& x : rules.rules) {
            if (!x.window) continue;
            for (const period& w : fact.windows(*x.window)) {
                if (w.from > r.latest_change) continue;
                why = refused(e, "R0121",
                              {fmt::format("peristiwa ini membuka jendela aturan {} mulai {}, tetapi perubahan di wilayah "
                                           "{} sampai {} sudah dinilai; letakkan rekaman ini lebih awal dalam log",
                                           x.id, w.from.iso(), e.region, r.latest_change.iso()),
                               fmt::format("this record opens the window of rule {} from {}, but changes in region {} "
                                           "up to {} were already judged; put this record earlier in the log",
                                           x.id, w.from.iso(), e.region, r.latest_change.iso())});
                return false;
            }
        }
        region_calendar& c = r.calendar;
        // A new head ends a caretaker's period.
        for (const date d : fact.inaugurations)
            for (period& p : c.caretakers)
                if (p.contains(d)) p.until = d + -1;
        c.inaugurations.insert(c.inaugurations.end(), fact.inaugurations.begin(), fact.inaugurations.end());
        c.caretakers.insert(c.caretakers.end(), fact.caretakers.begin(), fact.caretakers.end());
        c.elections.insert(c.elections.end(), fact.elections.begin(), fact.elections.end());
        rules.window_periods(c, r.windows);
        rules.key_dates_of(&c, r.windows, r.dates);
        return true;
    }

    void cutoff(const event& e, region_track& r) {
        for (const index_t s : e.services)
            if (std::find(r.state.cut.begin(), r.state.cut.end(), s) == r.state.cut.end()) r.state.cut.push_back(s);
        std::sort(r.state.cut.begin(), r.state.cut.end());
        if (!r.state.cut_since) r.state.cut_since = e.effective;
        r.state.cutoffs++;
        mark(r, e, mark_kind::cutoff);
    }

    void restore(const event& e, region_track& r) {
        if (e.services.empty()) {
            r.state.cut.clear();
        } else {
            for (const index_t s : e.services) std::erase(r.state.cut, s);
        }
        if (r.state.cut.empty()) r.state.cut_since.reset();
        r.state.restored = e.effective;
        mark(r, e, mark_kind::restore);
    }

    // ---- timelines (engine_options::history) ---------------------------------------------

    // Notes the post's views at the end of a change; the last state of a day counts.
    void remember(post& p, date on) {
        if (!options.history || !p.track->reported) return;
        recorded.note(p.timeline, on, p.facto, p.jure, p.jure_known);
    }

    void mark(region_track& r, const event& e, mark_kind kind) {
        if (!options.history || !r.reported) return;
        r.state.marks.push_back({e.effective, kind, kind == mark_kind::warning ? e.deadline : std::nullopt, e.services});
    }

    // The histories of the posts that have findings, by region, unit and
    // position; the other posts' views are dropped.
    post_histories flagged_histories() {
        std::vector<post*> sorted(flagged.begin(), flagged.end());
        std::sort(sorted.begin(), sorted.end(), [](const post* a, const post* b) {
            return std::tie(a->region, a->unit, a->position_key) < std::tie(b->region, b->unit, b->position_key);
        });
        post_histories out = std::move(recorded);
        for (post* p : sorted) out.add(p->region, p->unit, p->position, std::exchange(p->timeline, post_histories::no_timeline));
        out.stop_noting();
        return out;
    }

    // An event the engine cannot place, because of its date.
    static rejection refused(const event& e, const char* code, bilingual reason) {
        rejection why;
        why.source = e.source;
        why.line = e.line;
        why.id = e.id;
        why.code = code;
        why.field = "date";
        why.reason = std::move(reason);
        return why;
    }

    // Whether `e` is not the record `last` marks over again (duplicate_records);
    // if it is not, it becomes the one marked. A duplicate is counted and
    // not applied: applied twice, a change would be judged again (a double
    // post opened twice) and a region's letter counted twice (its warnings,
    // its cutoffs, its risk).
    bool fresh_record(record_mark& last, const event& e) {
        const std::uint64_t f = record_fingerprint(e);
        if (f == last.fingerprint) {
            note_duplicate(e, last.place);
            return false;
        }
        last = {f, {e.line, source_number(e.source)}};
        return true;
    }

    // fresh_record for a change of a post's holders: 32 bits of the
    // fingerprint, checked on the day of the post's last change only.
    bool fresh_change(post& p, const event& e) {
        const auto f = static_cast<std::uint32_t>(record_fingerprint(e) >> 32) | 1u;
        if (f == p.record_mark && e.effective == p.last_change) {
            note_duplicate(e, p.mark_place);
            return false;
        }
        p.record_mark = f;
        p.mark_place = {e.line, source_number(e.source)};
        return true;
    }

    // The fingerprint, with the id unless the record names its decree or
    // letter by number; never 0.
    static std::uint64_t record_fingerprint(const event& e) {
        const std::string& number = is_personnel(e.kind) ? e.regional_decree.number : e.letter;
        const bool numbered = number.find_first_not_of(" \t\r\n") != std::string::npos;
        const std::uint64_t f = fingerprint(e);
        return numbered ? f : engine_tables::text_hash::mix(f, engine_tables::text_hash{}(e.id)) | 1;
    }

    void note_duplicate(const event& e, const record_place& first) {
        duplicate = true;
        if (duplicates.count++ > 0) return;
        duplicates.source = e.source;
        duplicates.line = e.line;
        duplicates.id = e.id;
        duplicates.first_source = sources[first.source];
        duplicates.first_line = first.line;
    }

    std::uint32_t source_number(const std::string& name) {
        if (last_source < sources.size() && sources[last_source] == name) return last_source;
        const auto known = std::find(sources.begin(), sources.end(), name);
        last_source = static_cast<std::uint32_t>(known - sources.begin());
        if (known == sources.end()) sources.push_back(name);
        return last_source;
    }

    static rejection out_of_order(const event& e, date last) {
        return refused(e, "R0120",
                       {fmt::format("tanggal {} lebih awal dari perubahan terakhir pada jabatan ini ({}); urutkan log "
                                    "menurut tanggal",
                                    e.effective.iso(), last.iso()),
                        fmt::format("date {} is earlier than the last change already applied to this post ({}); sort "
                                    "the log by date",
                                    e.effective.iso(), last.iso())});
    }

    bool add(const event& e, rejection& why) {
        if (options.as_of && e.effective > *options.as_of) {
            ++after_as_of;
            return true;
        }
        // The post's entry is fetched while the region is looked up.
        std::uint64_t spelt = 0;
        if (is_personnel(e.kind) || e.kind == event_kind::approve) {
            spelt = name_table::hash(e.region, e.unit, e.position);
            spellings.prefetch(spelt);
        }
        region_track& region = region_of(e);
        // Judging a change reads the region's key dates (judging_rules): where
        // they are is fetched while the post is looked up.
        __builtin_prefetch(&region.dates);
        bool ok = true;
        switch (e.kind) {
        case event_kind::appoint:
        case event_kind::dismiss:
        case event_kind::transfer:
        case event_kind::acting:
        case event_kind::inaugurate: ok = personnel(e, region, spelt, why); break;
        case event_kind::approve: ok = approve(e, region, spelt, why); break;
        case event_kind::propose: break;
        case event_kind::warn:
            if (fresh_record(region.last_warning, e)) warn(e, region);
            break;
        case event_kind::cutoff:
            if (fresh_record(region.last_cutoff, e)) cutoff(e, region);
            break;
        case event_kind::restore:
            if (fresh_record(region.last_restore, e)) restore(e, region);
            break;
        case event_kind::head_inaugurated:
        case event_kind::caretaker:
        case event_kind::election: ok = calendar(e, region, why); break;
        }
        if (!ok) return false;
        if (std::exchange(duplicate, false)) {
            ++evaluated;
            return true;
        }
        if (is_personnel(e.kind)) {
            region.latest_change = std::max(region.latest_change, e.effective);
            note_change_order(e);
        }
        ++evaluated;
        latest = std::max(latest, e.effective);
        return true;
    }

    // A change of holders dated before one already judged (in another post:
    // on its own post it is refused, R0120) is counted, the first noted.
    void note_change_order(const event& e) {
        if (e.effective >= latest_holder_change) {
            latest_holder_change = e.effective;
            return;
        }
        if (order_breaks.count++ > 0) return;
        order_breaks.source = e.source;
        order_breaks.line = e.line;
        order_breaks.id = e.id;
        order_breaks.on = e.effective;
        order_breaks.after = latest_holder_change;
    }

    // ---- the report date ---------------------------------------------------------------

    audit_result finish() {
        audit_result out;
        out.as_of = options.as_of ? *options.as_of : (latest == date::min() ? date{} : latest);
        out.as_of_known = options.as_of || latest != date::min();
        // Deadlines that passed by the report date.
        for (const auto& [key, number] : post_keys) {
            (void)key;
            expire(posts[number], out.as_of);
        }
        std::map<std::string, std::size_t, std::less<>> region_pos;
        std::unordered_map<std::string, region_state> tallies;
        for (const open_slot& slot : slots) {
            if (!slot.open) continue;
            const finding& f = slot.f;
            region_state& t = tallies[f.region];
            if (f.is_notice()) {
                t.open_notices++;
                continue;
            }
            t.open_findings++;
            t.worst = std::max(t.worst, f.sev);
            t.longest_open_days = std::max(t.longest_open_days, out.as_of - f.opened);
        }
        for (auto& [code, track] : regions) {
            if (!track.reported) continue;
            region_state s = track.state;
            if (const auto t = tallies.find(code); t != tallies.end()) {
                s.open_findings = t->second.open_findings;
                s.open_notices = t->second.open_notices;
                s.worst = t->second.worst;
                s.longest_open_days = t->second.longest_open_days;
            }
            s.stage = -1;
            for (std::size_t i = 0; i < rules.ladder.size(); ++i) {
                const stage& st = rules.ladder[i];
                bool holds = false;
                switch (st.trigger) {
                case ast::trigger_kind::finding: holds = s.open_findings > 0; break;
                case ast::trigger_kind::warning: holds = s.open_findings > 0 && s.warnings >= st.count; break;
                case ast::trigger_kind::overdue:
                    holds = s.open_findings > 0 && s.deadline && *s.deadline < out.as_of;
                    break;
                case ast::trigger_kind::cutoff: holds = !s.cut.empty(); break;
                }
                if (holds) s.stage = static_cast<int>(i);
            }
            out.regions.push_back(std::move(s));
        }
        std::sort(out.regions.begin(), out.regions.end(), [](const region_state& a, const region_state& b) {
            if (a.stage != b.stage) return a.stage > b.stage;
            if ((a.open_findings > 0) != (b.open_findings > 0)) return a.open_findings > 0;
            if (a.worst != b.worst) return a.worst > b.worst;
            if (a.open_findings != b.open_findings) return a.open_findings > b.open_findings;
            if (a.longest_open_days != b.longest_open_days) return a.longest_open_days > b.longest_open_days;
            return a.code < b.code;
        });
        for (std::size_t i = 0; i < out.regions.size(); ++i) region_pos[out.regions[i].code] = i;
        // The findings still open on the report date join the closed ones.
        std::vector<std::pair<std::uint64_t, std::size_t>> still_open;  // seq, slot
        for (std::size_t i = 0; i < slots.size(); ++i)
            if (slots[i].open && slots[i].track->reported) still_open.emplace_back(slots[i].f.seq, i);
        std::sort(still_open.begin(), still_open.end());
        for (const auto& [seq, slot] : still_open) done.push_back(slots[slot].f);
        slots.clear();
        free_slots.clear();
        done.sort([&](std::string_view code) {
            const auto it = region_pos.find(code);
            return it == region_pos.end() ? std::size_t{0} : it->second;
        });
        out.findings = std::exchange(done, finding_list(options.findings_in_memory));
        out.evaluated = evaluated;
        out.after_as_of = after_as_of;
        out.out_of_date_order = order_breaks;
        out.duplicates = duplicates;
        out.judged = judged;
        if (options.history) out.histories = flagged_histories();
        return out;
    }
};

bool region_selected(const std::vector<std::string>& selection, std::string_view code) {
    if (selection.empty()) return true;
    return std::any_of(selection.begin(), selection.end(), [&](const std::string& s) {
        return code == s || (code.size() > s.size() && code.substr(0, s.size()) == s && code[s.size()] == '.');
    });
}

std::string_view to_string(approval_fault f) {
    switch (f) {
    case approval_fault::none: return "none";
    case approval_fault::authority: return "authority";
    case approval_fault::person: return "person";
    case approval_fault::position: return "position";
    case approval_fault::late: return "late";
    }
    return "?";
}

std::optional<reason> judged_reason(const event& e, const std::optional<holder>& facto) {
    const bool moves_in = is_personnel(e.kind) && can_make_definitive(to_action(e.kind));
    if (!e.why && moves_in && facto && facto->acting && facto->who.nip == e.who.nip) return reason::definitive;
    return e.why;
}

approval_fault check_approval(const rule_set& rules, const rule& r, const approval& a, std::string_view subject_nip,
                              std::string_view position_key, date effective, bool late_ok) {
    if (!rules.satisfies(a.authority, r.authority, r.or_higher)) return approval_fault::authority;
    if (!a.nip.empty() && a.nip != subject_nip) return approval_fault::person;
    if (!a.position.empty() && !normalises_to(a.position, position_key)) return approval_fault::position;
    if (late_ok) return approval_fault::none;
    const date last = r.timing == ast::timing_kind::within_days ? effective + r.days : effective;
    return a.issued <= last ? approval_fault::none : approval_fault::late;
}

std::optional<post_view> engine::post_state(const std::string& region, index_t unit, std::string_view position) const {
    const auto it = s_->post_keys.find(state::post_key(region, unit, normalise_position(position)));
    if (it == s_->post_keys.end()) return std::nullopt;
    const post& p = s_->posts[it->second];
    return post_view{p.facto, p.jure, p.jure_known, p.rank};
}

const region_calendar& engine::calendar(const std::string& region) const {
    static const region_calendar none;
    const auto it = s_->regions.find(region);
    return it == s_->regions.end() ? none : it->second.calendar;
}

engine::engine(const rule_set& rules, engine_options options) : s_(std::make_unique<state>(rules, options)) {}
engine::~engine() = default;

bool engine::add(const event& e, rejection& why) { return s_->add(e, why); }
std::uint64_t engine::evaluated() const { return s_->evaluated; }
std::uint64_t engine::after_as_of() const { return s_->after_as_of; }
audit_result engine::finish() { return s_->finish(); }

}  // namespace patuh
