#pragma once
// `patuh rules`: the table an HR officer prints. For one date, each covered
// unit, rank and action: which approval is needed, from whom, through whom,
// how early, under which rule and article. Built from the same queries the
// engine uses, so the table and the audit never disagree.

#include <nlohmann/json_fwd.hpp>
#include <patuh/date.hpp>
#include <patuh/i18n.hpp>
#include <patuh/rule_set.hpp>

#include <string>
#include <vector>

namespace patuh {

struct table_row {
    index_t unit = no_index;
    index_t rank = no_index;
    std::string position;              // "" unless a rule names positions
    std::vector<action> actions;       // actions with this same outcome
    std::vector<index_t> levels;       // region levels with this same outcome
    std::uint32_t rule = 0;            // index into rule_set::rules
    const route* via = nullptr;        // the route for these levels, if the rule gives one
};

// Rows in a stable order: unit, rank, position, then rule; actions and levels
// with the same outcome are merged into one row.
std::vector<table_row> rules_table(const rule_set& rules, date on);

std::string render_table_text(const std::vector<table_row>& rows, const rule_set& rules, date on, lang l);
std::string render_table_markdown(const std::vector<table_row>& rows, const rule_set& rules, date on, lang l);
std::string render_table_html(const std::vector<table_row>& rows, const rule_set& rules, date on, lang l);
nlohmann::json render_table_json(const std::vector<table_row>& rows, const rule_set& rules, date on, lang l);

}  // namespace patuh
