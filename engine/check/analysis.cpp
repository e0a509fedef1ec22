// Whole-rule-set analysis for `patuh check`: every covered case is examined
// with the same queries the engine makes.

#include <patuh/analysis.hpp>
#include <patuh/report.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace patuh {

namespace {

bool same_requirement(const rule& a, const rule& b) {
    return a.need == b.need && a.authority == b.authority && a.or_higher == b.or_higher && a.timing == b.timing &&
           a.days == b.days;
}

std::string join_or(const std::vector<std::string>& parts, const char* word) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) out += i + 1 == parts.size() ? fmt::format(" {} ", word) : std::string(", ");
        out += parts[i];
    }
    return out;
}

std::string where_text(const rule_set& rules, span s) { return rules.sources.where(s); }

// The in-force boundaries of the rule set: the domain's dates are the
// intervals between them, each represented by its first day.
std::vector<date> interval_starts(const rule_set& rules) {
    std::vector<date> cuts;
    const auto add = [&cuts](const period& p) {
        cuts.push_back(p.from);
        if (p.until != date::max()) cuts.push_back(p.until + 1);
    };
    for (const policy& p : rules.policies) add(p.in_force);
    for (const rule& r : rules.rules) add(r.in_force);
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    std::erase_if(cuts, [&](date d) {
        return std::none_of(rules.policies.begin(), rules.policies.end(),
                            [&](const policy& p) { return p.in_force.contains(d); });
    });
    return cuts;
}

}  // namespace

void analyse(const rule_set& rules, diagnostic_list& diags) {
    const std::vector<date> starts = interval_starts(rules);
    std::vector<std::string> positions = {""};
    for (const rule& r : rules.rules)
        for (const std::string& p : r.positions)
            if (std::find(positions.begin(), positions.end(), p) == positions.end()) positions.push_back(p);

    // Without level declarations every region is of no level: examine that one case.
    std::vector<index_t> levels;
    for (index_t v = 0; v < rules.levels.size(); ++v) levels.push_back(v);
    if (levels.empty()) levels.push_back(no_index);
    const auto level_title = [&](index_t v, lang l) {
        return v == no_index ? std::string(tr(l, "wilayah", "region")) : rules.levels[v].title;
    };

    std::vector<bool> applies(rules.rules.size(), false);
    // gaps by (unit, rank, interval, action) → levels
    std::map<std::tuple<index_t, index_t, std::size_t, std::size_t>, std::vector<index_t>> gaps;
    std::set<std::pair<std::uint32_t, std::uint32_t>> overlaps;

    for (index_t u = 0; u < rules.units.size(); ++u) {
        if (!rules.covers_unit(u)) continue;
        for (index_t k = 0; k < rules.ranks.size(); ++k) {
            for (const std::string& position : positions) {
                for (std::size_t t = 0; t < starts.size(); ++t) {
                    for (std::size_t a = 0; a < action_count; ++a) {
                        for (const index_t v : levels) {
                            match_query q;
                            q.on = starts[t];
                            q.rank = k;
                            q.act = static_cast<action>(a);
                            q.level = v;
                            q.unit = u;
                            q.position = position;
                            std::vector<std::uint32_t> found = rules.applicable(q);
                            for (const std::uint32_t i : found) applies[i] = true;
                            std::erase_if(found, [&](std::uint32_t i) {
                                return rules.rules[i].kind != rule_kind::requirement;
                            });
                            if (found.empty() && position.empty()) gaps[{u, k, t, a}].push_back(v);
                            for (std::size_t x = 0; x < found.size(); ++x) {
                                for (std::size_t y = x + 1; y < found.size(); ++y) {
                                    const rule& first = rules.rules[found[x]];
                                    const rule& second = rules.rules[found[y]];
                                    if (same_requirement(first, second)) continue;
                                    if (!overlaps.insert({found[x], found[y]}).second) continue;
                                    const std::string case_en = fmt::format(
                                        "an {} {} in a {} on {}", rules.ranks[k].title,
                                        describe_action(static_cast<event_kind>(a), lang::en), level_title(v, lang::en),
                                        starts[t].iso());
                                    const std::string case_id = fmt::format(
                                        "{} {} di {} pada {}", describe_action(static_cast<event_kind>(a), lang::id),
                                        rules.ranks[k].title, level_title(v, lang::id), starts[t].iso());
                                    diags.add({diag_code::rule_overlap, second.where,
                                               bilingual{fmt::format("aturan '{}' dan '{}' ({}) sama-sama berlaku untuk {} "
                                                                     "dengan syarat berbeda, tanpa 'overrides' di antaranya",
                                                                     second.id, first.id, where_text(rules, first.where),
                                                                     case_id),
                                                         fmt::format("rules '{}' and '{}' ({}) both apply to {} with "
                                                                     "different requirements and no 'overrides' between "
                                                                     "them",
                                                                     second.id, first.id, where_text(rules, first.where),
                                                                     case_en)},
                                               "", ""});
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    for (const auto& [key, gap_levels] : gaps) {
        const auto& [u, k, t, a] = key;
        std::vector<std::string> level_names_en, level_names_id;
        for (const index_t v : gap_levels) {
            level_names_en.push_back(level_title(v, lang::en));
            level_names_id.push_back(level_title(v, lang::id));
        }
        const std::string act_en(describe_action(static_cast<event_kind>(a), lang::en));
        const std::string act_id(describe_action(static_cast<event_kind>(a), lang::id));
        diags.add({diag_code::coverage_gap, rules.ranks[k].where,
                   bilingual{fmt::format("{} {} di {} ({}) pada {} tidak diatur aturan mana pun", act_id,
                                         rules.ranks[k].title, join_or(level_names_id, "atau"), rules.units[u].id,
                                         starts[t].iso()),
                             fmt::format("an {} {} in a {} ({}) on {} has no rule", rules.ranks[k].title, act_en,
                                         join_or(level_names_en, "or"), rules.units[u].id, starts[t].iso())},
                   "", ""});
    }

    for (std::uint32_t i = 0; i < rules.rules.size(); ++i) {
        const rule& r = rules.rules[i];
        if (applies[i] || r.in_force.empty()) continue;
        if (r.kind != rule_kind::requirement && r.kind != rule_kind::moratorium) continue;
        std::string winner;
        for (const rule& other : rules.rules)
            for (const std::uint32_t j : other.overrides)
                if (j == i && winner.empty()) winner = other.id;
        diags.add({diag_code::rule_shadowed, r.where,
                   winner.empty()
                       ? bilingual{fmt::format("aturan '{}' tidak pernah berlaku pada kasus mana pun yang tercakup", r.id),
                                   fmt::format("rule '{}' never applies to any covered case", r.id)}
                       : bilingual{fmt::format("aturan '{}' tidak pernah berlaku: '{}' selalu menang", r.id, winner),
                                   fmt::format("rule '{}' never applies: '{}' always wins", r.id, winner)},
                   "", ""});
    }

    // Names declared and never used by a rule.
    std::vector<bool> authority_used(rules.authorities.size(), false);
    std::vector<bool> rank_used(rules.ranks.size(), false);
    std::vector<bool> unit_used(rules.units.size(), false);
    const auto mark = [](std::vector<bool>& used, const index_set& set) {
        if (set.any) std::fill(used.begin(), used.end(), true);
        else
            for (const index_t m : set.members) used.at(m) = true;
    };
    for (const rule& r : rules.rules) {
        if (r.authority != no_index)
            for (index_t a = r.authority; a != no_index; a = rules.authorities[a].parent) authority_used[a] = true;
        for (const route& rt : r.routes)
            for (const index_t a : rt.chain) authority_used[a] = true;
        mark(rank_used, r.ranks);
        mark(unit_used, r.units);
    }
    const auto report_unused = [&](const auto& items, const std::vector<bool>& used, const char* kind_id,
                                   const char* kind_en) {
        for (std::size_t i = 0; i < items.size(); ++i)
            if (!used[i])
                diags.add({diag_code::unused_name, items[i].where,
                           bilingual{fmt::format("{} '{}' dideklarasikan tetapi tidak dipakai aturan mana pun", kind_id,
                                                 items[i].id),
                                     fmt::format("{} '{}' is declared but no rule uses it", kind_en, items[i].id)},
                           "", ""});
    };
    report_unused(rules.authorities, authority_used, "otoritas", "authority");
    report_unused(rules.ranks, rank_used, "eselon", "rank");
    report_unused(rules.units, unit_used, "unit", "unit");
}

}  // namespace patuh
