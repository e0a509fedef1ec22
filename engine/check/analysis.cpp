// Whole-rule-set analysis for `patuh check`: every covered case is examined
// with the same queries the engine makes.

#include <patuh/analysis.hpp>
#include <patuh/report.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

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

// A message written once per language: `text(l)` gives the wording in `l`.
template <typename Text>
bilingual in_both(Text text) {
    return {text(lang::id), text(lang::en)};
}

// Adds a warning whose message is written once per language.
template <typename Text>
void warn(diagnostic_list& diags, diag_code code, span where, Text text) {
    diags.add({code, where, in_both(text), "", ""});
}

std::string level_title(const rule_set& rules, index_t v, lang l) {
    return v == no_index ? std::string(tr(l, "wilayah", "region")) : rules.levels[v].title;
}

// The vacancy cases examined: a post nobody holds (`when vacant`) or one that
// someone holds, as bits (vacant 1, held 2); unknown counts as both.
constexpr unsigned vacant_bit = 1;
constexpr unsigned held_bit = 2;
unsigned vacancy_bits(std::optional<bool> vacant) {
    if (!vacant) return vacant_bit | held_bit;
    return *vacant ? vacant_bit : held_bit;
}
std::string vacancy_text(unsigned bits, lang l) {
    if (bits == vacant_bit) return tr(l, " pada jabatan kosong", " of a vacant post");
    if (bits == held_bit) return tr(l, " pada jabatan yang terisi", " of a held post");
    return "";
}
// Both cases only when some rule tells them apart.
std::vector<std::optional<bool>> vacancy_cases(const rule_set& rules) {
    const bool any = std::any_of(rules.rules.begin(), rules.rules.end(), [](const rule& r) { return r.vacant_only; });
    if (any) return {true, false};
    return {std::nullopt};
}

// One case of the domain in words: "an Eselon II appointment in a Kota on 2022-01-01".
std::string case_text(const rule_set& rules, const match_query& q, lang l) {
    const std::string_view act = describe_action(static_cast<event_kind>(q.act), l);
    std::string detail;
    if (!q.position.empty()) detail += fmt::format(" ('{}')", q.position);
    if (q.why) detail += trf(l, " dengan alasan '{}'", " with reason '{}'", to_string(*q.why));
    if (q.vacant) detail += vacancy_text(vacancy_bits(q.vacant), l);
    const std::string& rank = rules.ranks[q.rank].title;
    const std::string level = level_title(rules, q.level, l);
    if (l == lang::id) return fmt::format("{} {}{} di {} pada {}", act, rank, detail, level, q.on.iso());
    return fmt::format("an {} {}{} in a {} on {}", rank, act, detail, level, q.on.iso());
}

// "2010-01-01..2012-12-31", or "from 2015-12-01" when it has no end.
std::string period_text(const period& p, lang l) {
    if (p.until == date::max()) return trf(l, "sejak {}", "from {}", p.from.iso());
    return fmt::format("{}..{}", p.from.iso(), p.until.iso());
}

bool is_check(const rule& r) { return r.kind != rule_kind::requirement && r.kind != rule_kind::moratorium; }

std::string_view check_name(rule_kind k) {
    switch (k) {
    case rule_kind::double_post: return "double_post";
    case rule_kind::vacancy: return "vacancy";
    case rule_kind::not_installed: return "not_installed";
    case rule_kind::requirement:
    case rule_kind::moratorium: break;
    }
    return "";
}

const char* rule_word(const rule& r, lang l) {
    return r.kind == rule_kind::moratorium ? "moratorium" : tr(l, "aturan", "rule");
}

// What a rule that never takes effect fails to do.
const char* never_does(const rule& r, lang l) {
    if (r.kind == rule_kind::moratorium)
        return tr(l, "moratorium ini tidak pernah membatasi perubahan apa pun", "it never restricts a change");
    if (is_check(r)) return tr(l, "pemeriksaan ini tidak pernah memeriksa jabatan apa pun", "it never checks a post");
    return tr(l, "aturan ini tidak pernah menilai peristiwa apa pun", "it never judges an event");
}

std::vector<std::string> quoted_reasons(const std::array<bool, reason_count>& set) {
    std::vector<std::string> out;
    for (std::size_t w = 0; w < reason_count; ++w)
        if (set[w]) out.push_back(fmt::format("'{}'", to_string(static_cast<reason>(w))));
    return out;
}

// What the examined cases showed about one rule.
struct rule_facts {
    bool applies = false;                      // it judges some case (W0403 otherwise)
    std::array<bool, reason_count> reached{};  // some case with this reason reaches it: its exemption is consulted
    // the rules that set it aside in cases with this reason, and the first such case
    std::array<std::vector<std::uint32_t>, reason_count> set_aside_by{};
    std::array<std::optional<match_query>, reason_count> set_aside_in{};
};

// Every index below n, or only no_index when there is none (nothing declared:
// every post is of no rank, level or unit).
std::vector<index_t> every(std::size_t n) {
    std::vector<index_t> out;
    for (index_t i = 0; i < n; ++i) out.push_back(i);
    if (out.empty()) out.push_back(no_index);
    return out;
}

// W0405: the rule's period meets its policy's nowhere, or (for a check) on
// every day of it, for every post it covers, another check of its kind is
// consulted. A requirement or moratorium set aside on every day is reported
// as shadowed (W0403). `positions`: those the rules name, and "" for any other.
void report_ineffective_periods(const rule_set& rules, const std::vector<date>& starts,
                                const std::vector<std::string>& positions, diagnostic_list& diags) {
    for (const rule& r : rules.rules) {
        if (r.in_force.empty()) {
            const policy& pol = rules.policies.at(r.policy);
            warn(diags, diag_code::ineffective_period, r.in_force_where, [&](lang l) {
                return trf(l, "{} '{}' berlaku {} tetapi kebijakannya '{}' hanya berlaku {}; {}",
                           "{} '{}' is in force {} but its policy '{}' is in force only {}; {}", rule_word(r, l), r.id,
                           period_text(r.stated_in_force, l), pol.id, period_text(pol.in_force, l), never_does(r, l));
            });
            continue;
        }
        if (!is_check(r)) continue;
        // On each day, for each post, only the first check of a kind in force
        // that covers the post is consulted (rule_set::check_rule): every post
        // the check covers, on every day of its period, is examined.
        std::vector<std::string> consulted;
        bool takes_effect = false;
        const auto examine = [&](date d, index_t unit, index_t rank, index_t level, std::string_view position) {
            if (takes_effect || !r.covers_post(unit, rank, level, position)) return;
            const rule* first = rules.check_rule(r.kind, d, unit, rank, level, position);
            if (first == nullptr || first == &r) {
                takes_effect = true;
                return;
            }
            const std::string name = fmt::format("'{}' ({})", first->id, where_text(rules, first->where));
            if (std::find(consulted.begin(), consulted.end(), name) == consulted.end()) consulted.push_back(name);
        };
        for (const date d : starts) {
            if (!r.in_force.contains(d)) continue;
            for (const index_t unit : every(rules.units.size()))
                for (const index_t rank : every(rules.ranks.size()))
                    for (const index_t level : every(rules.levels.size()))
                        for (const std::string& position : positions) examine(d, unit, rank, level, position);
        }
        if (takes_effect || consulted.empty()) continue;
        warn(diags, diag_code::ineffective_period, r.in_force_where, [&](lang l) {
            return trf(
                l,
                "aturan '{}' (check {}) berlaku {}, tetapi pada setiap hari itu yang dipakai adalah {}: dari "
                "pemeriksaan sejenis yang berlaku untuk suatu jabatan, hanya yang pertama dideklarasikan yang "
                "dipakai; {}",
                "rule '{}' (check {}) is in force {}, but on every one of those days {} is consulted instead: of "
                "the checks of one kind in force that cover a post, only the first declared is consulted; {}",
                r.id, check_name(r.kind), period_text(r.in_force, l), join_or(consulted, tr(l, "dan", "and")),
                never_does(r, l));
        });
    }
}

// Why exempting `why` has no effect on rule `r`, or nothing when it has one
// (or when the whole rule is already reported as never taking effect).
std::optional<bilingual> ineffective_exemption(const rule_set& rules, const rule& r, const rule_facts& facts,
                                               reason why) {
    const auto w = static_cast<std::size_t>(why);
    const std::string_view name = to_string(why);
    // The engine consults exemptions when it judges a change (judging_rules); checks judge none.
    if (is_check(r))
        return in_both([&](lang l) {
            return trf(
                l,
                "aturan '{}' adalah pemeriksaan (check {}), yang tidak pernah memakai alasan perubahan: 'exempt {}' "
                "tidak mengecualikan apa pun",
                "rule '{}' is a check (check {}), which never looks at a change's reason: 'exempt {}' exempts "
                "nothing",
                r.id, check_name(r.kind), name);
        });
    if (r.has_reason_filter) {
        const std::vector<std::string> filter = quoted_reasons(r.reason_filter);
        if (!r.reason_filter[w])
            return in_both([&](lang l) {
                return trf(
                    l,
                    "aturan '{}' hanya menilai perubahan dengan alasan {} (when reason), sehingga perubahan dengan "
                    "alasan '{}' tidak pernah sampai kepadanya: 'exempt {}' tidak mengecualikan apa pun",
                    "rule '{}' judges only changes with reason {} (when reason), so a change with reason '{}' "
                    "never reaches it: 'exempt {}' exempts nothing",
                    r.id, join_or(filter, tr(l, "atau", "or")), name, name);
            });
        bool exempts_all = true;
        for (std::size_t v = 0; v < reason_count; ++v)
            exempts_all = exempts_all && (!r.reason_filter[v] || r.exempt[v]);
        if (!exempts_all)
            return in_both([&](lang l) {
                return trf(
                    l,
                    "aturan '{}' hanya menilai perubahan dengan alasan {} (when reason) tetapi juga mengecualikan "
                    "'{}': pengecualian itu membatalkan sebagian syaratnya sendiri, sehingga perubahan dengan alasan "
                    "'{}' tidak pernah dinilainya; hapus '{}' dari salah satunya",
                    "rule '{}' judges only changes with reason {} (when reason) but also exempts '{}': the "
                    "exemption cancels part of its own condition, so it never judges a change with reason '{}'; "
                    "remove '{}' from one of the two",
                    r.id, join_or(filter, tr(l, "atau", "or")), name, name, name);
            });
        // Every reason it judges is exempt: one warning, at the first of them in the list.
        for (std::size_t v = 0; v < reason_count; ++v)
            if (r.reason_filter[v] && r.exempt_where[v].begin < r.exempt_where[w].begin) return std::nullopt;
        return in_both([&](lang l) {
            return trf(
                l,
                "aturan '{}' hanya menilai perubahan dengan alasan {} (when reason) dan juga mengecualikan {}: "
                "setiap perubahan yang cocok dikecualikan, sehingga aturan ini tidak menilai apa pun",
                "rule '{}' judges only changes with reason {} (when reason) and also exempts {}: every change it "
                "matches is exempt, so it judges none",
                r.id, join_or(filter, tr(l, "atau", "or")), join_or(filter, tr(l, "dan", "and")));
        });
    }
    if (why == reason::definitive) {
        std::vector<std::string> governed;
        bool reachable = false;
        for (std::size_t a = 0; a < action_count; ++a) {
            const auto act = static_cast<action>(a);
            if (!r.applies_to_action(act)) continue;
            governed.push_back(fmt::format("'{}'", to_string(act)));
            reachable = reachable || can_make_definitive(act);
        }
        const auto moving_in = [](lang l) {
            std::vector<std::string> kinds;
            for (std::size_t a = 0; a < action_count; ++a)
                if (can_make_definitive(static_cast<action>(a)))
                    kinds.emplace_back(describe_action(static_cast<event_kind>(a), l));
            return join_or(kinds, tr(l, "atau", "or"));
        };
        if (!reachable)
            return in_both([&](lang l) {
                return trf(
                    l,
                    "aturan '{}' hanya mengatur {} (when action), sedangkan alasan 'definitive' hanya diberikan pada "
                    "{} yang menjadikan Plt pejabat definitif: 'exempt definitive' tidak mengecualikan apa pun",
                    "rule '{}' governs only {} (when action), but the reason 'definitive' is given only to an {} "
                    "that makes the acting holder definitive: 'exempt definitive' exempts nothing",
                    r.id, join_or(governed, tr(l, "dan", "and")), moving_in(l));
            });
    }
    if (facts.reached[w] || !facts.applies || r.in_force.empty()) return std::nullopt;
    if (const std::optional<match_query>& example = facts.set_aside_in[w]) {
        std::vector<std::string> winners;
        for (const std::uint32_t j : facts.set_aside_by[w])
            winners.push_back(fmt::format("'{}' ({})", rules.rules[j].id, where_text(rules, rules.rules[j].where)));
        return in_both([&](lang l) {
            return trf(l,
                       "pada setiap perubahan dengan alasan '{}' yang cocok dengan aturan '{}', {} mengambil kasusnya "
                       "dan menyisihkan '{}', misalnya {}: 'exempt {}' tidak mengecualikan apa pun",
                       "on every change with reason '{}' that rule '{}' matches, {} takes the case and sets '{}' "
                       "aside, e.g. {}: 'exempt {}' exempts nothing",
                       name, r.id, join_or(winners, tr(l, "atau", "or")), r.id, case_text(rules, *example, l), name);
        });
    }
    return in_both([&](lang l) {
        return trf(l,
                   "tidak ada perubahan tercakup dengan alasan '{}' yang dinilai aturan '{}': 'exempt {}' tidak "
                   "mengecualikan apa pun",
                   "no covered change with reason '{}' is judged by rule '{}': 'exempt {}' exempts nothing", name, r.id,
                   name);
    });
}

// W0406: a reason in an `exempt` list that never exempts a change.
void report_ineffective_exemptions(const rule_set& rules, const std::vector<rule_facts>& facts,
                                   diagnostic_list& diags) {
    for (std::size_t i = 0; i < rules.rules.size(); ++i) {
        const rule& r = rules.rules[i];
        // in the order the `exempt` list names them
        std::vector<std::size_t> named;
        for (std::size_t w = 0; w < reason_count; ++w)
            if (r.exempt[w]) named.push_back(w);
        std::sort(named.begin(), named.end(), [&](std::size_t a, std::size_t b) {
            return std::pair(r.exempt_where[a].file, r.exempt_where[a].begin) <
                   std::pair(r.exempt_where[b].file, r.exempt_where[b].begin);
        });
        for (const std::size_t w : named) {
            if (std::optional<bilingual> message = ineffective_exemption(rules, r, facts[i], static_cast<reason>(w)))
                diags.add({diag_code::ineffective_exemption, r.exempt_where[w], std::move(*message), "", ""});
        }
    }
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
    // A change has no vacancy reason, or one of them.
    std::vector<std::optional<reason>> whys = {std::nullopt};
    for (std::size_t w = 0; w < reason_count; ++w) whys.emplace_back(static_cast<reason>(w));
    const std::vector<std::optional<bool>> vacancies = vacancy_cases(rules);

    std::vector<rule_facts> facts(rules.rules.size());
    // gaps by (unit, rank, interval, action, level) → the vacancy cases without a rule
    std::map<std::tuple<index_t, index_t, std::size_t, std::size_t, index_t>, unsigned> gaps;
    std::set<std::pair<std::uint32_t, std::uint32_t>> overlaps;

    // One case: which rules match, which are set aside, which judge it.
    const auto examine = [&](const match_query& q, std::size_t t) {
        const std::vector<std::uint32_t> matching = rules.candidates(q);
        std::vector<std::uint32_t> found = rules.applicable(q);
        for (const std::uint32_t i : found) {
            facts[i].applies = true;
            if (q.why) facts[i].reached[static_cast<std::size_t>(*q.why)] = true;
        }
        if (q.why)
            for (const std::uint32_t i : matching) {
                const auto by = rules.overridden_by(i, matching);
                if (!by) continue;
                const auto w = static_cast<std::size_t>(*q.why);
                std::vector<std::uint32_t>& winners = facts[i].set_aside_by[w];
                if (std::find(winners.begin(), winners.end(), *by) == winners.end()) winners.push_back(*by);
                if (!facts[i].set_aside_in[w]) facts[i].set_aside_in[w] = q;
            }
        // The requirement rules that judge it, exemptions applied (engine: judging_rules).
        std::erase_if(found, [&](std::uint32_t i) {
            const rule& r = rules.rules[i];
            return r.kind != rule_kind::requirement || (q.why && r.exempt[static_cast<std::size_t>(*q.why)]);
        });
        if (found.empty() && q.position.empty() && !q.why)
            gaps[{q.unit, q.rank, t, static_cast<std::size_t>(q.act), q.level}] |= vacancy_bits(q.vacant);
        for (std::size_t x = 0; x < found.size(); ++x) {
            for (std::size_t y = x + 1; y < found.size(); ++y) {
                const rule& first = rules.rules[found[x]];
                const rule& second = rules.rules[found[y]];
                if (same_requirement(first, second)) continue;
                if (!overlaps.insert({found[x], found[y]}).second) continue;
                warn(diags, diag_code::rule_overlap, second.where, [&](lang l) {
                    return trf(l,
                               "aturan '{}' dan '{}' ({}) sama-sama berlaku untuk {} dengan syarat berbeda, tanpa "
                               "'overrides' di antaranya",
                               "rules '{}' and '{}' ({}) both apply to {} with different requirements and no "
                               "'overrides' between them",
                               second.id, first.id, where_text(rules, first.where), case_text(rules, q, l));
                });
            }
        }
    };

    for (index_t u = 0; u < rules.units.size(); ++u) {
        if (!rules.covers_unit(u)) continue;
        for (index_t k = 0; k < rules.ranks.size(); ++k)
            for (const std::string& position : positions)
                for (std::size_t t = 0; t < starts.size(); ++t)
                    for (std::size_t a = 0; a < action_count; ++a)
                        for (const index_t v : levels)
                            for (const std::optional<reason> why : whys)
                                for (const std::optional<bool> vacant : vacancies) {
                                    const auto act = static_cast<action>(a);
                                    // `definitive` is only judged on a change that moves the acting holder in.
                                    if (why == reason::definitive && !can_make_definitive(act)) continue;
                                    match_query q;
                                    q.on = starts[t];
                                    q.rank = k;
                                    q.act = act;
                                    q.level = v;
                                    q.unit = u;
                                    q.position = position;
                                    q.why = why;
                                    q.vacant = vacant;
                                    examine(q, t);
                                }
    }

    // One warning per (unit, rank, interval, action, vacancy cases), naming its levels.
    std::map<std::tuple<index_t, index_t, std::size_t, std::size_t, unsigned>, std::vector<index_t>> gap_levels_of;
    for (const auto& [key, bits] : gaps) {
        const auto& [u, k, t, a, v] = key;
        gap_levels_of[{u, k, t, a, bits}].push_back(v);
    }
    for (const auto& [key, gap_levels] : gap_levels_of) {
        const auto& [u, k, t, a, bits] = key;
        std::vector<std::string> level_names_en, level_names_id;
        for (const index_t v : gap_levels) {
            level_names_en.push_back(level_title(rules, v, lang::en));
            level_names_id.push_back(level_title(rules, v, lang::id));
        }
        const std::string act_en(describe_action(static_cast<event_kind>(a), lang::en));
        const std::string act_id(describe_action(static_cast<event_kind>(a), lang::id));
        diags.add({diag_code::coverage_gap, rules.ranks[k].where,
                   bilingual{fmt::format("{} {}{} di {} ({}) pada {} tidak diatur aturan mana pun", act_id,
                                         rules.ranks[k].title, vacancy_text(bits, lang::id),
                                         join_or(level_names_id, "atau"), rules.units[u].id, starts[t].iso()),
                             fmt::format("an {} {}{} in a {} ({}) on {} has no rule", rules.ranks[k].title, act_en,
                                         vacancy_text(bits, lang::en), join_or(level_names_en, "or"),
                                         rules.units[u].id, starts[t].iso())},
                   "", ""});
    }

    for (std::uint32_t i = 0; i < rules.rules.size(); ++i) {
        const rule& r = rules.rules[i];
        if (facts[i].applies || r.in_force.empty() || is_check(r)) continue;
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
    report_ineffective_periods(rules, starts, positions, diags);
    report_ineffective_exemptions(rules, facts, diags);

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
