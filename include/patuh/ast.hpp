#pragma once
// The plain syntax tree of rule files: what the drafter wrote, with positions,
// before any name is resolved. Produced by parse(), read by compile().
// Free of Boost: the parser fills private structs and lowers them to these.

#include <patuh/date.hpp>
#include <patuh/source.hpp>

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace patuh::ast {

struct name {
    std::string text;
    span where;
};

struct text {  // a string literal, unescaped
    std::string value;
    span where;
};

struct date_lit {
    date value;
    span where;
};

struct in_force {  // in force from D [until D]
    date_lit from;
    std::optional<date_lit> until;
    span where;
};

// ---- declarations -------------------------------------------------------

struct authority_decl {  // authority menteri "Menteri Dalam Negeri" [under x] [aliases "a" "b"]
    name id;
    text title;
    std::optional<name> under;
    std::vector<text> aliases;
    span where;
};

struct rank_decl {  // rank II "Eselon II" [aliases ...]
    name id;
    std::optional<text> title;
    std::vector<text> aliases;
    span where;
};

struct unit_decl {  // unit disdukcapil "Dinas ..." [aliases ...]
    name id;
    std::optional<text> title;
    std::vector<text> aliases;
    span where;
};

struct level_decl {  // level kota "Kota" codes "PP.71-99"
    name id;
    std::optional<text> title;
    text codes;
    span where;
};

struct service_decl {  // service ktp_el "Otorisasi KTP-el"
    name id;
    std::optional<text> title;
    span where;
};

struct include_decl {  // include "common.patuh"
    text path;
    span where;
};

// ---- rules --------------------------------------------------------------

enum class condition_kind { rank, action, level, unit, position, reason, vacant };

struct condition {  // when rank II, III   /  when position "Kepala Dinas"  /  when vacant
    condition_kind kind;
    std::vector<name> names;       // for everything but position
    std::vector<text> positions;   // for position
    span where;
};

// when during caretaker
// when during 6 months after inauguration
// when during 6 months before candidates until term_end
// A window of the region's own calendar (events head_inaugurated, caretaker,
// election); the anchors are names checked by compile().
struct window_stmt {
    bool caretaker = false;
    int amount = 0;
    bool months = true;   // months or days
    bool before = false;  // before or after the anchor
    name anchor;
    std::optional<name> until;
    span where;
};

enum class timing_kind { on_or_before, within_days };

struct requirement {  // requires menteri [or higher] [on or before effective date | within 14 days]
    name authority;
    bool or_higher = false;
    timing_kind timing = timing_kind::on_or_before;
    int days = 0;
    span where;
};

struct forbidden_stmt { span where; };  // forbidden: no approval lifts it
struct allowed_stmt { span where; };    // allowed: no approval needed

struct route_stmt {  // route gubernur, dirjen [when level kabupaten, kota]
    std::vector<name> chain;
    std::vector<name> levels;  // empty: every level
    span where;
};

struct lead_time_stmt {  // lead time 30 days
    int days = 0;
    span where;
};

struct severity_stmt {  // severity high
    name level;
    span where;
};

struct cite_stmt {  // cite "UU 24/2013 Pasal 83A ayat (2)"
    text citation;
    span where;
};

struct message_stmt {  // message id "..." / message en "..."
    name language;
    text body;
    span where;
};

struct exempt_stmt {  // exempt death, retirement, resignation, arrest, definitive
    std::vector<name> reasons;
    span where;
};

struct overrides_stmt {  // overrides kadis_umum
    std::vector<name> rules;
    span where;
};

enum class check_kind { double_post, vacancy, not_installed };

struct check_stmt {  // check double_post | check vacancy | check not_installed within 30 days
    name which;
    int days = 0;
    span where;
};

using rule_item = std::variant<in_force, condition, window_stmt, requirement, forbidden_stmt, allowed_stmt, route_stmt,
                               lead_time_stmt, severity_stmt, cite_stmt, message_stmt, exempt_stmt,
                               overrides_stmt, check_stmt>;

enum class rule_form { rule, moratorium };

struct rule_decl {
    rule_form form = rule_form::rule;
    name id;
    text title;
    // moratorium NAME "title" from D until D { ... }: the window, lowered to an in_force item.
    std::vector<rule_item> items;
    span where;
};

// ---- escalation ladder ----------------------------------------------------

enum class trigger_kind { finding, warning, overdue, cutoff };

struct stage_decl {  // stage warned on warning 2 id "Ditegur dua kali" en "Warned twice"
    name id;
    name trigger;   // finding | warning | overdue | cutoff
    int count = 1;  // for warning
    std::vector<message_stmt> labels;
    span where;
};

struct escalation_decl {
    std::vector<stage_decl> stages;
    span where;
};

// ---- rule tests ----------------------------------------------------------------

struct as_of_stmt {  // as of 2018-12-31: the frozen report date of a test
    date_lit day;
    span where;
};

struct event_stmt {  // event {"kind":"appoint", ...}: one event record, the rest of the line
    std::string json;
    span where;       // the statement
    span record;      // the JSON text
};

struct events_stmt {  // events "palopo.jsonl": the records of a file, relative to this file
    text path;
    span where;
};

enum class expect_form { present, absent, none, stage };

// expect RULE [SEVERITY] [opened D] [open | closed D] [region "CODE"] [event "ID"]
// expect no RULE [...same filters]  /  expect none  /  expect stage "CODE" STAGE
struct expect_stmt {
    expect_form form = expect_form::present;
    name rule;                           // present, absent
    std::optional<name> severity;
    std::optional<date_lit> opened;
    bool still_open = false;             // `open`
    std::optional<date_lit> closed;
    std::optional<text> region;          // also the region of `expect stage`
    std::optional<text> event_id;
    name stage;                          // stage: a ladder stage id, or `none`
    std::vector<name> filters;           // each filter's first word as written, spanning the whole filter
    span where;
};

using test_item = std::variant<as_of_stmt, event_stmt, events_stmt, expect_stmt>;

struct test_decl {  // test ID ["title"] { ... }
    name id;
    std::optional<text> title;
    std::vector<test_item> items;
    span where;
};

using declaration = std::variant<authority_decl, rank_decl, unit_decl, level_decl, service_decl>;

using policy_item = std::variant<in_force, cite_stmt, declaration, rule_decl, escalation_decl>;

struct policy_decl {
    name id;
    std::optional<text> title;
    std::vector<policy_item> items;
    span where;
};

using top_item = std::variant<include_decl, declaration, policy_decl, escalation_decl, test_decl>;

struct file {
    std::uint32_t source = 0;  // index in the source_set
    std::vector<top_item> items;
};

}  // namespace patuh::ast
