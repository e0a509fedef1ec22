// Comparing two audits of one log made with two rule sets (patuh/impact.hpp).

#include "io/report_support.hpp"

#include <patuh/impact.hpp>

#include <algorithm>
#include <array>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>

namespace patuh {

std::string_view to_string(finding_difference d) {
    switch (d) {
    case finding_difference::rule: return "rule";
    case finding_difference::severity: return "severity";
    case finding_difference::opened: return "opened";
    case finding_difference::closed: return "closed";
    case finding_difference::required: return "required";
    case finding_difference::remedy: return "remedy";
    }
    return "?";
}

namespace {

// A region's findings in a report: runs of indices [from, to). The report
// orders findings by region first, so a region's are one run.
struct region_runs {
    std::string code;
    std::vector<std::pair<std::size_t, std::size_t>> runs;
};

// One side's findings and what comparing them needs of its rule set.
class side {
public:
    side(const audit_report& report, const rule_set& rules) : report_(report), rules_(rules) {
        for (const rule& r : rules.rules) {
            const bool judges_changes = r.kind == rule_kind::requirement || r.kind == rule_kind::moratorium;
            required_.push_back(judges_changes ? describe_requirement(r, rules, lang::en) : std::string());
        }
    }

    const finding_list& findings() const { return report_.result.findings; }
    const rule_set& rules() const { return rules_; }
    const std::string& required(std::uint32_t rule) const { return required_.at(rule); }

    // What makes a finding the same in both reports, as one text: the record
    // that opened it, its post, and whether a change or which check found it.
    void identity(const finding& f, std::string& key) const {
        const rule& r = rules_.rules.at(f.rule);
        const bool judges_changes = r.kind == rule_kind::requirement || r.kind == rule_kind::moratorium;
        key.clear();
        key += f.source;
        key += '\x1f';
        key += std::to_string(f.line);
        key += '\x1f';
        key += f.event_id;
        key += '\x1f';
        key += f.region;
        key += '\x1f';
        key += f.unit == no_index ? std::string_view("?") : std::string_view(rules_.units.at(f.unit).id);
        key += '\x1f';
        key += f.position;
        key += '\x1f';
        key += judges_changes ? 'c' : static_cast<char>('0' + static_cast<int>(r.kind));
    }

    // Each region's findings, the regions in report order.
    std::vector<region_runs> regions() const {
        std::vector<region_runs> out;
        std::unordered_map<std::string, std::size_t> seen;  // code → its place in `out`
        std::size_t i = 0;
        while (i < findings().size()) {
            const std::string_view code = findings().region(i);
            std::size_t to = i + 1;
            while (to < findings().size() && findings().region(to) == code) ++to;
            const auto [at, fresh] = seen.try_emplace(std::string(code), out.size());
            if (fresh) out.push_back({std::string(code), {}});
            out[at->second].runs.emplace_back(i, to);
            i = to;
        }
        return out;
    }

private:
    const audit_report& report_;
    const rule_set& rules_;
    std::vector<std::string> required_;  // by rule: the requirement as the reports state it (English)
};

std::uint8_t differences(const finding& a, const side& sa, const finding& b, const side& sb) {
    std::uint8_t d = 0;
    const auto mark = [&d](finding_difference x) { d |= static_cast<std::uint8_t>(x); };
    const rule& ra = sa.rules().rules.at(a.rule);
    const rule& rb = sb.rules().rules.at(b.rule);
    if (ra.id != rb.id) mark(finding_difference::rule);
    if (a.sev != b.sev) mark(finding_difference::severity);
    if (a.opened != b.opened) mark(finding_difference::opened);
    if (a.closed != b.closed || a.closed_because != b.closed_because || a.closed_by != b.closed_by)
        mark(finding_difference::closed);
    if (sa.required(a.rule) != sb.required(b.rule)) mark(finding_difference::required);
    if (describe_remedy(a.fix, sa.rules(), lang::en) != describe_remedy(b.fix, sb.rules(), lang::en))
        mark(finding_difference::remedy);
    return d;
}

// The findings of one region on one side, read in order, with their identities.
struct region_findings {
    std::vector<std::size_t> index;  // of each in its report
    std::vector<finding> items;
    std::vector<std::string> keys;
    std::vector<bool> paired;

    void read(const side& s, const region_runs& region) {
        clear();
        for (const auto& [from, to] : region.runs)
            for (std::size_t i = from; i < to; ++i) index.push_back(i);
        items.resize(index.size());
        keys.resize(index.size());
        paired.assign(index.size(), false);
        for (std::size_t k = 0; k < index.size(); ++k) {
            s.findings().read(index[k], items[k]);
            s.identity(items[k], keys[k]);
        }
    }
    void clear() {
        index.clear();
        items.clear();
        keys.clear();
        paired.clear();
    }
};

// Pairs the findings of one region: same identity and rule id first, then
// same identity in report order; what is left over is gone or new.
using rule_counts = std::map<std::pair<std::string, std::string>, std::uint64_t>;

void pair_region(region_findings& a, const side& sa, region_findings& b, const side& sb, impact& out,
                 rule_counts& by_rule) {
    const auto id_of = [](const finding& f, const side& s) -> const std::string& { return s.rules().rules.at(f.rule).id; };
    std::unordered_multimap<std::string_view, std::size_t> by_key;  // b's unpaired findings by identity
    for (std::size_t j = 0; j < b.items.size(); ++j) by_key.emplace(b.keys[j], j);
    const auto pair_when = [&](const auto& matches) {
        for (std::size_t i = 0; i < a.items.size(); ++i) {
            if (a.paired[i]) continue;
            auto [from, to] = by_key.equal_range(a.keys[i]);
            // The candidate first in report order.
            auto chosen = by_key.end();
            for (auto it = from; it != to; ++it)
                if (!b.paired[it->second] && matches(a.items[i], b.items[it->second]) &&
                    (chosen == by_key.end() || it->second < chosen->second))
                    chosen = it;
            if (chosen == by_key.end()) continue;
            const std::size_t j = chosen->second;
            a.paired[i] = b.paired[j] = true;
            if (const std::uint8_t d = differences(a.items[i], sa, b.items[j], sb); d != 0) {
                out.changed.push_back({a.index[i], b.index[j], d});
                ++by_rule[{id_of(a.items[i], sa), id_of(b.items[j], sb)}];
            } else {
                ++out.same;
            }
        }
    };
    pair_when([&](const finding& x, const finding& y) {
        return sa.rules().rules.at(x.rule).id == sb.rules().rules.at(y.rule).id;
    });
    pair_when([](const finding&, const finding&) { return true; });
    for (std::size_t i = 0; i < a.items.size(); ++i) {
        if (a.paired[i]) continue;
        out.removed.push_back(a.index[i]);
        ++by_rule[{id_of(a.items[i], sa), std::string()}];
    }
    for (std::size_t j = 0; j < b.items.size(); ++j) {
        if (b.paired[j]) continue;
        out.added.push_back(b.index[j]);
        ++by_rule[{std::string(), id_of(b.items[j], sb)}];
    }
}

// Region by region, so that each list is read in order and only one
// region's findings of each side are in memory at once.
void compare_findings(const side& in_force, const side& draft, impact& out) {
    const std::vector<region_runs> ranges_a = in_force.regions();
    const std::vector<region_runs> ranges_b = draft.regions();
    std::unordered_map<std::string_view, std::size_t> draft_region;  // code → index in ranges_b
    for (std::size_t k = 0; k < ranges_b.size(); ++k) draft_region.emplace(ranges_b[k].code, k);
    std::vector<bool> draft_read(ranges_b.size());
    region_findings a, b;
    rule_counts by_rule;
    for (const region_runs& range : ranges_a) {
        a.read(in_force, range);
        b.clear();
        if (const auto found = draft_region.find(range.code); found != draft_region.end()) {
            b.read(draft, ranges_b[found->second]);
            draft_read[found->second] = true;
        }
        pair_region(a, in_force, b, draft, out, by_rule);
    }
    a.clear();
    for (std::size_t k = 0; k < ranges_b.size(); ++k) {
        if (draft_read[k]) continue;
        b.read(draft, ranges_b[k]);
        pair_region(a, in_force, b, draft, out, by_rule);
    }
    for (const auto& [ids, count] : by_rule) out.by_rule.push_back({ids.first, ids.second, count});
    std::stable_sort(out.by_rule.begin(), out.by_rule.end(),
                     [](const rule_change& x, const rule_change& y) { return x.count > y.count; });
    std::sort(out.added.begin(), out.added.end());
    std::sort(out.removed.begin(), out.removed.end());
    std::sort(out.changed.begin(), out.changed.end(),
              [](const changed_finding& x, const changed_finding& y) { return x.draft < y.draft; });
}

// Whether a region stands differently: its stage, its open findings or notices, or its worst open finding.
bool stands_differently(const region_state* a, const rule_set& ra, const region_state* b, const rule_set& rb) {
    const region_state none;
    const region_state& x = a != nullptr ? *a : none;
    const region_state& y = b != nullptr ? *b : none;
    return describe_stage(x.stage, ra, lang::en) != describe_stage(y.stage, rb, lang::en) ||
           x.open_findings != y.open_findings || x.open_notices != y.open_notices ||
           (x.open_findings > 0 && x.worst != y.worst);
}

void compare_regions(const audit_report& in_force, const rule_set& ra, const audit_report& draft,
                     const rule_set& rb, impact& out) {
    std::unordered_map<std::string_view, const region_state*> before = report_support::regions_by_code(in_force.result);
    for (const region_state& s : draft.result.regions) {
        const auto found = before.find(s.code);
        const region_state* a = found == before.end() ? nullptr : found->second;
        if (found != before.end()) before.erase(found);
        if (stands_differently(a, ra, &s, rb)) out.regions.push_back({a, &s});
    }
    for (const region_state& s : in_force.result.regions)
        if (before.contains(s.code) && stands_differently(&s, ra, nullptr, rb)) out.regions.push_back({&s, nullptr});
}

void compare_rejections(const audit_report& in_force, const audit_report& draft, impact& out) {
    // Each rejection as (input, line, index, code), the inputs numbered in the order met.
    std::unordered_map<std::string, std::size_t> inputs;
    struct place {
        std::size_t input;
        std::uint64_t line;
        std::size_t index;
        std::array<char, 8> code;  // "R0101": codes are five characters
        bool operator<(const place& o) const {
            return std::tie(input, line, index) < std::tie(o.input, o.line, o.index);
        }
    };
    const auto places = [&](const rejection_list& list) {
        std::vector<place> out_places;
        out_places.reserve(list.size());
        rejection x;
        for (std::size_t k = 0; k < list.size(); ++k) {
            list.read(k, x);
            const std::size_t input = inputs.try_emplace(x.source, inputs.size()).first->second;
            place p{input, x.line, k, {}};
            x.code.copy(p.code.data(), std::min(x.code.size(), p.code.size()));
            out_places.push_back(p);
        }
        std::sort(out_places.begin(), out_places.end());
        return out_places;
    };
    const std::vector<place> a = places(in_force.rejected);
    const std::vector<place> b = places(draft.rejected);
    std::size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
        const bool take_a = j == b.size() || (i < a.size() && std::tie(a[i].input, a[i].line) <
                                                                     std::tie(b[j].input, b[j].line));
        const bool take_b = i == a.size() || (j < b.size() && std::tie(b[j].input, b[j].line) <
                                                                     std::tie(a[i].input, a[i].line));
        if (take_a) {
            out.rejections.push_back({a[i++].index, std::nullopt});
        } else if (take_b) {
            out.rejections.push_back({std::nullopt, b[j++].index});
        } else {
            if (a[i].code != b[j].code) out.rejections.push_back({a[i].index, b[j].index});
            ++i;
            ++j;
        }
    }
}

}  // namespace

impact compare_audits(const audit_report& in_force, const rule_set& in_force_rules, const audit_report& draft,
                      const rule_set& draft_rules) {
    impact out;
    compare_findings(side(in_force, in_force_rules), side(draft, draft_rules), out);
    compare_regions(in_force, in_force_rules, draft, draft_rules, out);
    compare_rejections(in_force, draft, out);
    return out;
}

}  // namespace patuh
