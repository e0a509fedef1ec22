// The rank × action → authority table of a rule set on one date.

#include "common/support.hpp"

#include <patuh/report.hpp>
#include <patuh/rules_table.hpp>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <tuple>

namespace patuh {

namespace {

using json = nlohmann::json;

// Positions named by rules, plus "" for every other post.
std::vector<std::string> positions_of(const rule_set& rules) {
    std::vector<std::string> out = {""};
    for (const rule& r : rules.rules)
        for (const std::string& p : r.positions)
            if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
    return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
    std::string out;
    for (const std::string& p : parts) {
        if (!out.empty()) out += sep;
        out += p;
    }
    return out;
}

std::vector<std::string> action_names(const table_row& row) {
    std::vector<std::string> out;
    for (const action a : row.actions) out.emplace_back(to_string(a));
    return out;
}

std::vector<std::string> action_labels(const table_row& row, lang l) {
    std::vector<std::string> out;
    for (const action a : row.actions) out.emplace_back(describe_action(static_cast<event_kind>(a), l));
    return out;
}

std::vector<std::string> level_titles(const table_row& row, const rule_set& rules) {
    std::vector<std::string> out;
    for (const index_t v : row.levels) out.push_back(rules.levels.at(v).title);
    return out;
}

std::string route_text(const table_row& row, const rule_set& rules) {
    if (row.via == nullptr) return "-";
    std::vector<std::string> names;
    for (const index_t a : row.via->chain) names.push_back(rules.authorities.at(a).title);
    return join(names, " → ");
}

std::string lead_text(const rule& r, lang l) {
    if (r.lead_days <= 0) return "-";
    return trf(l, "{} hari sebelum TMT", "{} {} before the effective date", r.lead_days,
               plural(r.lead_days, "day", "days"));
}

std::string exempt_text(const rule& r, lang l) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < r.exempt.size(); ++i)
        if (r.exempt[i]) out.emplace_back(describe_reason(static_cast<reason>(i), l));
    return out.empty() ? "-" : join(out, ", ");
}

std::string rank_text(const table_row& row, const rule_set& rules) {
    std::string out = rules.ranks.at(row.rank).title;
    if (!row.position.empty()) out += " — " + row.position;
    return out;
}

struct columns {
    std::string rank, actions, levels, approval, route, lead, exempt, rule, citation;
};

// The requirement, and when it is limited to a window or to vacant posts, that limit.
std::string approval_text(const rule& r, const rule_set& rules, lang l) {
    std::vector<std::string> limits;
    if (r.window) limits.push_back(trf(l, "hanya {}", "only {}", describe_window(*r.window, l)));
    if (r.vacant_only) limits.push_back(tr(l, "hanya bila jabatan kosong", "only when the post is vacant"));
    if (limits.empty()) return describe_requirement(r, rules, l);
    return fmt::format("{} ({})", describe_requirement(r, rules, l), join(limits, "; "));
}

columns columns_of(const table_row& row, const rule_set& rules, lang l) {
    const rule& r = rules.rules.at(row.rule);
    return {rank_text(row, rules),
            join(action_labels(row, l), ", "),
            join(level_titles(row, rules), ", "),
            approval_text(r, rules, l),
            route_text(row, rules),
            lead_text(r, l),
            exempt_text(r, l),
            fmt::format("{} ({})", r.id, rules.policies.at(r.policy).title),
            r.citation};
}

std::array<const char*, 9> headers(lang l) {
    return {tr(l, "Eselon / jabatan", "Rank / post"), tr(l, "Tindakan", "Actions"),
            tr(l, "Tingkat wilayah", "Region levels"), tr(l, "Persetujuan", "Approval"),
            tr(l, "Jalur usulan", "Route of the proposal"), tr(l, "Kirim usulan", "Send the proposal"),
            tr(l, "Dikecualikan bila", "Not needed when"), tr(l, "Aturan", "Rule"), tr(l, "Dasar hukum", "Citation")};
}

std::string title_line(date on, lang l) {
    return trf(l, "Aturan persetujuan pusat yang berlaku pada {}", "Central-approval rules in force on {}", on.iso());
}

}  // namespace

std::vector<table_row> rules_table(const rule_set& rules, date on) {
    // outcome of (unit, rank, position, action, level): the judging rules and their route
    using key = std::tuple<index_t, index_t, std::string, std::uint32_t, const route*>;
    std::map<key, std::pair<std::vector<action>, std::vector<index_t>>> merged;
    std::vector<key> order;
    const std::vector<std::string> positions = positions_of(rules);
    for (index_t u = 0; u < rules.units.size(); ++u) {
        if (!rules.covers_unit(u)) continue;
        for (index_t k = 0; k < rules.ranks.size(); ++k) {
            for (const std::string& position : positions) {
                for (std::size_t a = 0; a < action_count; ++a) {
                    for (index_t v = 0; v < rules.levels.size(); ++v) {
                      // a post held and a vacant one (`when vacant`); rows merge where they agree
                      for (const bool vacant : {false, true}) {
                        match_query q;
                        q.on = on;
                        q.rank = k;
                        q.act = static_cast<action>(a);
                        q.level = v;
                        q.unit = u;
                        q.position = position;
                        q.vacant = vacant;
                        for (const std::uint32_t i : rules.applicable(q)) {
                            const rule& r = rules.rules[i];
                            if (r.kind != rule_kind::requirement && r.kind != rule_kind::moratorium) continue;
                            // a position row only for rules that name the position
                            if (!position.empty() && r.positions.empty()) continue;
                            const key id{u, k, position, i, r.route_for(v)};
                            auto [it, fresh] = merged.try_emplace(id);
                            if (fresh) order.push_back(id);
                            auto& [acts, levels] = it->second;
                            if (std::find(acts.begin(), acts.end(), q.act) == acts.end()) acts.push_back(q.act);
                            if (std::find(levels.begin(), levels.end(), v) == levels.end()) levels.push_back(v);
                        }
                      }
                    }
                }
            }
        }
    }
    std::vector<table_row> rows;
    for (const key& id : order) {
        table_row row;
        std::tie(row.unit, row.rank, row.position, row.rule, row.via) = id;
        std::tie(row.actions, row.levels) = merged.at(id);
        std::sort(row.actions.begin(), row.actions.end());
        std::sort(row.levels.begin(), row.levels.end());
        rows.push_back(std::move(row));
    }
    return rows;
}

std::string render_table_text(const std::vector<table_row>& rows, const rule_set& rules, date on, lang l) {
    std::string out = title_line(on, l) + "\n";
    if (rows.empty()) return out + tr(l, "Tidak ada aturan yang berlaku.\n", "No rule is in force.\n");
    const auto h = headers(l);
    index_t unit = no_index;
    std::string rank;
    for (const table_row& row : rows) {
        const columns c = columns_of(row, rules, l);
        if (row.unit != unit) {
            unit = row.unit;
            rank.clear();
            out += fmt::format("\n{}\n", rules.units.at(unit).title);
        }
        if (c.rank != rank) {
            rank = c.rank;
            out += fmt::format("\n  {}\n", rank);
        }
        out += fmt::format("    {} — {}\n", c.actions, c.levels);
        out += fmt::format("      {}: {}\n", h[3], c.approval);
        if (c.route != "-") out += fmt::format("      {}: {}\n", h[4], c.route);
        if (c.lead != "-") out += fmt::format("      {}: {}\n", h[5], c.lead);
        if (c.exempt != "-") out += fmt::format("      {}: {}\n", h[6], c.exempt);
        out += fmt::format("      {}: {} — {}\n", h[7], c.rule, c.citation);
    }
    return out;
}

std::string render_table_markdown(const std::vector<table_row>& rows, const rule_set& rules, date on, lang l) {
    std::string out = fmt::format("# {}\n\n", title_line(on, l));
    const auto h = headers(l);
    index_t unit = no_index;
    for (const table_row& row : rows) {
        if (row.unit != unit) {
            unit = row.unit;
            out += fmt::format("## {}\n\n", markdown_text(rules.units.at(unit).title));
            out += "|";
            for (const char* x : h) out += fmt::format(" {} |", x);
            out += "\n|";
            for (std::size_t i = 0; i < h.size(); ++i) out += "---|";
            out += "\n";
        }
        // Every cell escaped as text, but the rule id, a code span.
        const columns c = columns_of(row, rules, l);
        const rule& r = rules.rules.at(row.rule);
        out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} ({}) | {} |\n", markdown_text(c.rank),
                           markdown_text(c.actions), markdown_text(c.levels), markdown_text(c.approval),
                           markdown_text(c.route), markdown_text(c.lead), markdown_text(c.exempt), markdown_code(r.id),
                           markdown_text(rules.policies.at(r.policy).title), markdown_text(c.citation));
    }
    if (rows.empty()) out += tr(l, "Tidak ada aturan yang berlaku.\n", "No rule is in force.\n");
    return out;
}

std::string render_table_html(const std::vector<table_row>& rows, const rule_set& rules, date on, lang l) {
    const std::string title = title_line(on, l);
    std::string out = fmt::format(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n"
        "body {{ font-family: sans-serif; margin: 2em; }}\n"
        "table {{ border-collapse: collapse; width: 100%; margin-bottom: 2em; }}\n"
        "th, td {{ border: 1px solid #999; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }}\n"
        "th {{ background: #eee; }}\n"
        "@media print {{ body {{ margin: 0; font-size: 9pt; }} }}\n"
        "</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        l == lang::id ? "id" : "en", markup_escape(title), markup_escape(title));
    const auto h = headers(l);
    index_t unit = no_index;
    for (const table_row& row : rows) {
        if (row.unit != unit) {
            if (unit != no_index) out += "</table>\n";
            unit = row.unit;
            out += fmt::format("<h2>{}</h2>\n<table>\n<tr>", markup_escape(rules.units.at(unit).title));
            for (const char* x : h) out += fmt::format("<th>{}</th>", markup_escape(x));
            out += "</tr>\n";
        }
        const columns c = columns_of(row, rules, l);
        out += "<tr>";
        for (const std::string* cell :
             {&c.rank, &c.actions, &c.levels, &c.approval, &c.route, &c.lead, &c.exempt, &c.rule, &c.citation})
            out += fmt::format("<td>{}</td>", markup_escape(*cell));
        out += "</tr>\n";
    }
    if (unit != no_index) out += "</table>\n";
    if (rows.empty()) out += fmt::format("<p>{}</p>\n", tr(l, "Tidak ada aturan yang berlaku.", "No rule is in force."));
    out += "</body>\n</html>\n";
    return out;
}

json render_table_json(const std::vector<table_row>& rows, const rule_set& rules, date on, lang l) {
    json items = json::array();
    for (const table_row& row : rows) {
        const rule& r = rules.rules.at(row.rule);
        json route = json::array();
        if (row.via != nullptr)
            for (const index_t a : row.via->chain) route.push_back(rules.authorities.at(a).id);
        json levels = json::array();
        for (const index_t v : row.levels) levels.push_back(rules.levels.at(v).id);
        json exempt = json::array();
        for (std::size_t i = 0; i < r.exempt.size(); ++i)
            if (r.exempt[i]) exempt.push_back(to_string(static_cast<reason>(i)));
        items.push_back({
            {"unit", rules.units.at(row.unit).id},
            {"rank", rules.ranks.at(row.rank).id},
            {"position", row.position.empty() ? json(nullptr) : json(row.position)},
            {"actions", action_names(row)},
            {"levels", std::move(levels)},
            {"rule_id", r.id},
            {"policy", rules.policies.at(r.policy).id},
            {"demand", r.need == demand::approval ? "approval" : r.need == demand::allowed ? "allowed" : "forbidden"},
            {"authority", r.need == demand::approval ? json(rules.authorities.at(r.authority).id) : json(nullptr)},
            {"or_higher", r.or_higher},
            {"within_days", r.timing == ast::timing_kind::within_days ? json(r.days) : json(nullptr)},
            {"route", std::move(route)},
            {"lead_days", r.lead_days},
            {"exempt", std::move(exempt)},
            {"severity", to_string(r.sev)},
            {"citation", r.citation},
            {"approval_text", describe_requirement(r, rules, l)},
            {"window", r.window ? json(describe_window(*r.window, l)) : json(nullptr)},
            {"vacant_only", r.vacant_only},
        });
    }
    return {{"schema", "patuh-rules/1"}, {"date", on.iso()}, {"rows", std::move(items)}};
}

}  // namespace patuh
