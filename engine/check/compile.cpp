// Name resolution and semantic checks: syntax trees → the compiled rule_set.
// Every problem becomes a diagnostic; compilation goes on to find the others.

#include <patuh/rule_set.hpp>

#include "common/support.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <unordered_map>

namespace patuh {

namespace {


std::string key_of(std::string_view s) {
    std::string key;
    for (const char c : s) {
        if (c == ' ' || c == '.' || c == '-' || c == '_' || c == '\t') continue;
        key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    return key;
}

// One namespace of declared names (authorities, ranks, ...).
struct name_table {
    const char* kind_en;
    const char* kind_id;
    std::unordered_map<std::string, index_t> index;
    std::vector<std::string> names;
    std::vector<span> where;
};

class compiler {
public:
    explicit compiler(loaded_rules& loaded) : files_(loaded.files), diags_(loaded.diags) {
        out_.sources = std::move(loaded.sources);
    }

    compile_result run() {
        compile_result result;
        // Names cannot be checked in files that could not be read or parsed:
        // their errors would only echo the syntax errors.
        if (diags_.has_errors()) {
            result.failed_sources = std::move(out_.sources);
            result.diags = std::move(diags_);
            return result;
        }
        for (const ast::file& f : files_) collect_declarations(f);
        resolve_authority_parents();
        check_aliases(out_.ranks, "rank", "pangkat");
        check_aliases(out_.authorities, "authority", "otoritas");
        check_aliases(out_.units, "unit", "unit");
        for (const ast::file& f : files_) collect_policies_and_rules(f);
        resolve_overrides();
        check_rule_periods();
        derive_specificity();
        if (!diags_.has_errors()) {
            out_.build_index();
            result.rules = std::move(out_);
        } else {
            result.failed_sources = std::move(out_.sources);
        }
        result.diags = std::move(diags_);
        return result;
    }

private:
    std::vector<ast::file>& files_;
    diagnostic_list& diags_;
    rule_set out_;
    name_table authorities_{"authority", "otoritas", {}, {}, {}};
    name_table ranks_{"rank", "pangkat", {}, {}, {}};
    name_table units_{"unit", "unit", {}, {}, {}};
    name_table levels_{"level", "tingkat wilayah", {}, {}, {}};
    name_table services_{"service", "layanan", {}, {}, {}};
    std::map<std::string, span> policy_ids_;
    std::vector<const ast::authority_decl*> authority_decls_;
    struct pending_override {
        std::uint32_t rule;
        ast::name target;
    };
    std::vector<pending_override> overrides_;
    bool have_escalation_ = false;

    void error(diag_code code, span where, bilingual message, std::string suggestion = {}) {
        diags_.add({code, where, std::move(message), {}, std::move(suggestion)});
    }

    // ---- declarations ------------------------------------------------------

    bool declare(name_table& table, const ast::name& n, index_t index) {
        if (const auto it = table.index.find(n.text); it != table.index.end()) {
            const source_file& f = out_.sources.at(table.where[it->second].file);
            const auto lc = f.locate(table.where[it->second].begin);
            error(diag_code::duplicate_declaration, n.where,
                  both(fmt::format("{} '{}' sudah dideklarasikan di {}:{}:{}", table.kind_id, n.text, f.name(), lc.line,
                                   lc.column),
                       fmt::format("{} '{}' is already declared at {}:{}:{}", table.kind_en, n.text, f.name(), lc.line,
                                   lc.column)));
            return false;
        }
        table.index.emplace(n.text, index);
        table.names.push_back(n.text);
        table.where.push_back(n.where);
        return true;
    }

    index_t resolve(const name_table& table, const ast::name& n) {
        if (const auto it = table.index.find(n.text); it != table.index.end()) return it->second;
        const std::string close = did_you_mean(n.text, table.names);
        error(diag_code::unknown_name, n.where,
              both(fmt::format("{} '{}' tidak dikenal", table.kind_id, n.text),
                   fmt::format("unknown {} '{}'", table.kind_en, n.text)),
              close);
        return no_index;
    }

    static std::vector<std::string> texts(const std::vector<ast::text>& v) {
        std::vector<std::string> out;
        for (const ast::text& t : v) out.push_back(t.value);
        return out;
    }

    void declare(const ast::declaration& d) {
        std::visit(
            overloaded{
                [&](const ast::authority_decl& a) {
                    if (!declare(authorities_, a.id, static_cast<index_t>(out_.authorities.size()))) return;
                    out_.authorities.push_back({a.id.text, a.title.value, texts(a.aliases), no_index, a.id.where});
                    authority_decls_.push_back(&a);
                },
                [&](const ast::rank_decl& r) {
                    if (!declare(ranks_, r.id, static_cast<index_t>(out_.ranks.size()))) return;
                    out_.ranks.push_back({r.id.text, r.title ? r.title->value : r.id.text, texts(r.aliases), r.id.where});
                },
                [&](const ast::unit_decl& u) {
                    if (!declare(units_, u.id, static_cast<index_t>(out_.units.size()))) return;
                    out_.units.push_back({u.id.text, u.title ? u.title->value : u.id.text, texts(u.aliases), u.id.where});
                },
                [&](const ast::level_decl& l) {
                    if (!declare(levels_, l.id, static_cast<index_t>(out_.levels.size()))) return;
                    level compiled{l.id.text, l.title ? l.title->value : l.id.text, false, 0, 0, l.id.where};
                    if (!parse_codes(l.codes.value, compiled))
                        error(diag_code::invalid_level_codes, l.codes.where,
                              both(fmt::format("pola kode '{}' tidak sah; tulis \"PP\" atau \"PP.01-69\"", l.codes.value),
                                   fmt::format("code pattern '{}' is not valid; write \"PP\" or \"PP.01-69\"",
                                               l.codes.value)));
                    out_.levels.push_back(std::move(compiled));
                },
                [&](const ast::service_decl& s) {
                    if (!declare(services_, s.id, static_cast<index_t>(out_.services.size()))) return;
                    out_.services.push_back({s.id.text, s.title ? s.title->value : s.id.text, s.id.where});
                },
            },
            d);
    }

    static bool parse_codes(std::string_view text, level& l) {
        if (text == "PP") {
            l.province = true;
            return true;
        }
        // "PP.a-b"
        if (!text.starts_with("PP.")) return false;
        text.remove_prefix(3);
        const auto dash = text.find('-');
        if (dash == std::string_view::npos) return false;
        const auto number = [](std::string_view s, int& out) {
            if (s.size() != 2) return false;
            return std::from_chars(s.data(), s.data() + s.size(), out).ec == std::errc{} && out >= 1 && out <= 99;
        };
        if (!number(text.substr(0, dash), l.from) || !number(text.substr(dash + 1), l.to)) return false;
        return l.from <= l.to;
    }

    void collect_declarations(const ast::file& f) {
        for (const ast::top_item& item : f.items) {
            std::visit(overloaded{
                           [&](const ast::declaration& d) { declare(d); },
                           [&](const ast::policy_decl& p) {
                               for (const ast::policy_item& pi : p.items)
                                   if (const auto* d = std::get_if<ast::declaration>(&pi)) declare(*d);
                           },
                           [](const auto&) {},
                       },
                       item);
        }
    }

    void resolve_authority_parents() {
        for (std::size_t i = 0; i < authority_decls_.size(); ++i) {
            const ast::authority_decl& a = *authority_decls_[i];
            if (a.under) out_.authorities[i].parent = resolve(authorities_, *a.under);
        }
        // A cycle: walking up from any authority returns to it.
        std::vector<bool> reported(out_.authorities.size(), false);
        for (std::size_t start = 0; start < out_.authorities.size(); ++start) {
            std::size_t steps = 0;
            for (index_t a = out_.authorities[start].parent; a != no_index; a = out_.authorities[a].parent) {
                if (a == start) {
                    if (!reported[start]) {
                        std::string chain = out_.authorities[start].id;
                        for (index_t b = out_.authorities[start].parent; b != start; b = out_.authorities[b].parent) {
                            chain += " → " + out_.authorities[b].id;
                            reported[b] = true;
                        }
                        chain += " → " + out_.authorities[start].id;
                        reported[start] = true;
                        const span where = authority_decls_[start]->under ? authority_decls_[start]->under->where
                                                                          : out_.authorities[start].where;
                        error(diag_code::authority_cycle, where,
                              both(fmt::format("hierarki otoritas berputar: {}", chain),
                                   fmt::format("the authority hierarchy has a cycle: {}", chain)));
                    }
                    // Break the cycle so later walks terminate.
                    out_.authorities[start].parent = no_index;
                    break;
                }
                if (++steps > out_.authorities.size()) break;
            }
        }
    }

    template <typename T>
    void check_aliases(const std::vector<T>& items, const char* kind_en, const char* kind_id) {
        std::unordered_map<std::string, std::size_t> owner;
        for (std::size_t i = 0; i < items.size(); ++i) {
            std::vector<std::string> names = items[i].aliases;
            names.insert(names.begin(), items[i].id);
            for (const std::string& n : names) {
                const auto [it, fresh] = owner.emplace(key_of(n), i);
                if (!fresh && it->second != i)
                    error(diag_code::alias_conflict, items[i].where,
                          both(fmt::format("nama '{}' milik {} '{}' juga dipakai {} '{}'", n, kind_id, items[i].id,
                                           kind_id, items[it->second].id),
                               fmt::format("the name '{}' of {} '{}' also names {} '{}'", n, kind_en, items[i].id,
                                           kind_en, items[it->second].id)));
            }
        }
    }

    // ---- policies and rules -------------------------------------------------

    period make_period(const ast::in_force& f) {
        period p{f.from.value, f.until ? f.until->value : date::max()};
        if (p.empty())
            error(diag_code::empty_period, f.where,
                  both(fmt::format("masa berlaku berakhir ({}) sebelum mulai ({})", p.until.iso(), p.from.iso()),
                       fmt::format("the in-force period ends ({}) before it starts ({})", p.until.iso(), p.from.iso())));
        return p;
    }

    void repeated(span where, const char* what) {
        error(diag_code::repeated_statement, where,
              both(fmt::format("'{}' sudah diberikan untuk aturan ini", what),
                   fmt::format("'{}' is already given for this rule", what)));
    }

    index_set resolve_set(const name_table& table, const std::vector<ast::name>& names) {
        index_set s;
        s.any = false;
        for (const ast::name& n : names)
            if (const index_t i = resolve(table, n); i != no_index) s.members.push_back(i);
        std::sort(s.members.begin(), s.members.end());
        s.members.erase(std::unique(s.members.begin(), s.members.end()), s.members.end());
        return s;
    }

    template <typename Parse>
    bool resolve_word(const ast::name& n, Parse parse, std::vector<std::string> words, const char* kind_id,
                      const char* kind_en) {
        if (parse(n.text)) return true;
        error(diag_code::unknown_name, n.where,
              both(fmt::format("{} '{}' tidak dikenal", kind_id, n.text), fmt::format("unknown {} '{}'", kind_en, n.text)),
              did_you_mean(n.text, words));
        return false;
    }

    region_window compile_window(const ast::window_stmt& w) {
        region_window out;
        out.caretaker = w.caretaker;
        if (w.caretaker) return out;
        out.amount = w.amount;
        out.months = w.months;
        out.before = w.before;
        const std::vector<std::string> anchors = {"inauguration", "candidates", "term_end"};
        if (resolve_word(w.anchor, parse_anchor, anchors, "titik waktu", "anchor")) out.from = *parse_anchor(w.anchor.text);
        if (w.until && resolve_word(*w.until, parse_anchor, anchors, "titik waktu", "anchor")) {
            out.until = *parse_anchor(w.until->text);
            // An end must come from the same event as the start: an election's dates.
            if (out.from == anchor::inauguration || *out.until == anchor::inauguration)
                error(diag_code::conflicting_statements, w.until->where,
                      both("'until' hanya menghubungkan candidates dan term_end (tanggal dari satu peristiwa election)",
                           "'until' joins only candidates and term_end (the dates of one election event)"));
        }
        return out;
    }

    void collect_policies_and_rules(const ast::file& f) {
        for (const ast::top_item& item : f.items) {
            std::visit(overloaded{
                           [&](const ast::policy_decl& p) { compile_policy(p); },
                           [&](const ast::escalation_decl& e) { compile_escalation(e); },
                           [](const auto&) {},
                       },
                       item);
        }
    }

    void compile_policy(const ast::policy_decl& p) {
        if (const auto [it, fresh] = policy_ids_.emplace(p.id.text, p.id.where); !fresh) {
            error(diag_code::duplicate_declaration, p.id.where,
                  both(fmt::format("kebijakan '{}' sudah dideklarasikan", p.id.text),
                       fmt::format("policy '{}' is already declared", p.id.text)));
            return;
        }
        policy pol{p.id.text, p.title ? p.title->value : p.id.text, {}, {}, p.id.where};
        bool have_period = false, have_cite = false;
        for (const ast::policy_item& item : p.items) {
            if (const auto* f = std::get_if<ast::in_force>(&item)) {
                if (have_period) repeated(f->where, "in force");
                pol.in_force = make_period(*f);
                have_period = true;
            } else if (const auto* c = std::get_if<ast::cite_stmt>(&item)) {
                if (have_cite) repeated(c->where, "cite");
                pol.citation = c->citation.value;
                have_cite = true;
            }
        }
        const auto policy_index = static_cast<std::uint16_t>(out_.policies.size());
        out_.policies.push_back(pol);
        for (const ast::policy_item& item : p.items) {
            if (const auto* r = std::get_if<ast::rule_decl>(&item)) compile_rule(*r, policy_index);
            if (const auto* e = std::get_if<ast::escalation_decl>(&item)) compile_escalation(*e);
        }
    }

    void compile_rule(const ast::rule_decl& d, std::uint16_t policy_index) {
        const policy& pol = out_.policies[policy_index];
        rule r;
        r.id = d.id.text;
        r.title = d.title.value;
        r.policy = policy_index;
        r.where = d.id.where;
        r.in_force = pol.in_force;
        r.stated_in_force = pol.in_force;
        r.in_force_where = d.id.where;
        r.kind = d.form == ast::rule_form::moratorium ? rule_kind::moratorium : rule_kind::requirement;
        std::set<int> seen_conditions;
        bool have_demand = false, have_severity = false, have_cite = false, have_period = false, have_lead = false,
             have_check = false;
        span demand_where{};
        span window_where{};
        // Conditions on a change (its action, reason, or a post left vacant), which a check cannot have.
        std::vector<std::pair<span, std::string_view>> change_conditions;
        for (const ast::rule_item& item : d.items) {
            std::visit(
                overloaded{
                    [&](const ast::in_force& f) {
                        if (have_period) repeated(f.where, "in force");
                        have_period = true;
                        const period own = make_period(f);
                        r.in_force = {std::max(own.from, pol.in_force.from), std::min(own.until, pol.in_force.until)};
                        r.stated_in_force = own;
                        r.in_force_where = f.where;
                    },
                    [&](const ast::condition& c) {
                        if (!seen_conditions.insert(static_cast<int>(c.kind)).second) repeated(c.where, "when");
                        if (c.kind == ast::condition_kind::action) change_conditions.emplace_back(c.where, "when action");
                        if (c.kind == ast::condition_kind::reason) change_conditions.emplace_back(c.where, "when reason");
                        if (c.kind == ast::condition_kind::vacant) change_conditions.emplace_back(c.where, "when vacant");
                        switch (c.kind) {
                        case ast::condition_kind::rank: r.ranks = resolve_set(ranks_, c.names); break;
                        case ast::condition_kind::level: r.levels = resolve_set(levels_, c.names); break;
                        case ast::condition_kind::unit: r.units = resolve_set(units_, c.names); break;
                        case ast::condition_kind::action:
                            r.any_action = false;
                            for (const ast::name& n : c.names)
                                if (resolve_word(n, parse_action, {"appoint", "dismiss", "transfer", "acting", "inaugurate"},
                                                 "tindakan", "action"))
                                    r.actions[static_cast<std::size_t>(*parse_action(n.text))] = true;
                            break;
                        case ast::condition_kind::reason:
                            for (const ast::name& n : c.names)
                                resolve_word(n, parse_reason,
                                             {"death", "retirement", "resignation", "arrest", "definitive"}, "alasan",
                                             "reason");
                            // Reason conditions are stored as the complement of exemptions: the rule
                            // judges only events with one of these reasons.
                            r.reason_filter.fill(false);
                            r.has_reason_filter = true;
                            for (const ast::name& n : c.names)
                                if (const auto why = parse_reason(n.text)) r.reason_filter[static_cast<std::size_t>(*why)] = true;
                            break;
                        case ast::condition_kind::position:
                            for (const ast::text& t : c.positions) r.positions.push_back(normalise_position(t.value));
                            break;
                        case ast::condition_kind::vacant: r.vacant_only = true; break;
                        }
                    },
                    [&](const ast::window_stmt& w) {
                        if (r.window) repeated(w.where, "when during");
                        window_where = w.where;
                        r.window = compile_window(w);
                    },
                    [&](const ast::requirement& q) {
                        if (have_demand) conflicting(q.where, demand_where);
                        have_demand = true;
                        demand_where = q.where;
                        r.need = demand::approval;
                        r.authority = resolve(authorities_, q.authority);
                        r.or_higher = q.or_higher;
                        r.timing = q.timing;
                        r.days = q.days;
                    },
                    [&](const ast::forbidden_stmt& s) {
                        if (have_demand) conflicting(s.where, demand_where);
                        have_demand = true;
                        demand_where = s.where;
                        r.need = demand::forbidden;
                    },
                    [&](const ast::allowed_stmt& s) {
                        if (have_demand) conflicting(s.where, demand_where);
                        have_demand = true;
                        demand_where = s.where;
                        r.need = demand::allowed;
                    },
                    [&](const ast::route_stmt& s) {
                        route rt;
                        for (const ast::name& n : s.chain)
                            if (const index_t a = resolve(authorities_, n); a != no_index) rt.chain.push_back(a);
                        if (!s.levels.empty()) rt.levels = resolve_set(levels_, s.levels);
                        r.routes.push_back(std::move(rt));
                    },
                    [&](const ast::lead_time_stmt& s) {
                        if (have_lead) repeated(s.where, "lead time");
                        have_lead = true;
                        r.lead_days = s.days;
                    },
                    [&](const ast::severity_stmt& s) {
                        if (have_severity) repeated(s.where, "severity");
                        have_severity = true;
                        if (resolve_word(s.level, parse_severity, {"info", "low", "medium", "high", "critical"},
                                         "tingkat keparahan", "severity"))
                            r.sev = *parse_severity(s.level.text);
                    },
                    [&](const ast::cite_stmt& s) {
                        if (have_cite) repeated(s.where, "cite");
                        have_cite = true;
                        r.citation = s.citation.value;
                    },
                    [&](const ast::message_stmt& m) { set_message(r.message, m); },
                    [&](const ast::exempt_stmt& s) {
                        for (const ast::name& n : s.reasons)
                            if (resolve_word(n, parse_reason,
                                             {"death", "retirement", "resignation", "arrest", "definitive"}, "alasan",
                                             "reason")) {
                                const auto why = static_cast<std::size_t>(*parse_reason(n.text));
                                if (!r.exempt[why]) r.exempt_where[why] = n.where;
                                r.exempt[why] = true;
                            }
                    },
                    [&](const ast::overrides_stmt& s) {
                        for (const ast::name& n : s.rules)
                            overrides_.push_back({static_cast<std::uint32_t>(out_.rules.size()), n});
                    },
                    [&](const ast::check_stmt& s) {
                        if (have_check) repeated(s.where, "check");
                        have_check = true;
                        if (s.which.text == "double_post") r.kind = rule_kind::double_post;
                        else if (s.which.text == "vacancy") r.kind = rule_kind::vacancy;
                        else if (s.which.text == "not_installed") r.kind = rule_kind::not_installed;
                        else
                            error(diag_code::unknown_name, s.which.where,
                                  both(fmt::format("pemeriksaan '{}' tidak dikenal", s.which.text),
                                       fmt::format("unknown check '{}'", s.which.text)),
                                  did_you_mean(s.which.text, {"double_post", "vacancy", "not_installed"}));
                        r.days = s.days;
                    },
                },
                item);
        }
        const bool is_check = have_check;
        if (is_check && r.window)
            error(diag_code::conflicting_statements, window_where,
                  both("aturan 'check' tidak memuat 'when during'", "a 'check' rule takes no 'when during'"));
        if (is_check)
            for (const auto& [where, condition] : change_conditions)
                error(diag_code::conflicting_statements, where,
                      both(fmt::format("aturan 'check' tidak memuat '{}': pemeriksaan menilai jabatan, bukan perubahan",
                                       condition),
                           fmt::format("a 'check' rule takes no '{}': a check looks at posts, not at changes", condition)));
        // A rule limited to a window of the region's calendar restricts changes
        // on top of the usual requirements, like a moratorium.
        if (r.window && r.kind == rule_kind::requirement) r.kind = rule_kind::moratorium;
        if (is_check && have_demand)
            error(diag_code::conflicting_statements, demand_where,
                  both("aturan 'check' tidak memuat requires/allowed/forbidden",
                       "a 'check' rule takes no requires/allowed/forbidden"));
        if (!is_check && !have_demand) {
            if (r.kind == rule_kind::moratorium) {
                r.need = demand::forbidden;
            } else {
                error(diag_code::missing_requirement, d.id.where,
                      both(fmt::format("aturan '{}' tidak menyebut requires, allowed, atau forbidden", r.id),
                           fmt::format("rule '{}' says none of requires, allowed, forbidden", r.id)));
            }
        }
        if (!have_cite) r.citation = pol.citation;
        if (r.citation.empty())
            error(diag_code::missing_citation, d.id.where,
                  both(fmt::format("aturan '{}' tidak merujuk pasal (cite)", r.id),
                       fmt::format("rule '{}' cites no article (cite)", r.id)));
        if (r.message.id.empty() || r.message.en.empty()) {
            const char* missing = r.message.id.empty() && r.message.en.empty() ? "id, en"
                                  : r.message.id.empty()                      ? "id"
                                                                              : "en";
            error(diag_code::missing_message, d.id.where,
                  both(fmt::format("aturan '{}' tidak memiliki pesan ({}); judulnya dipakai", r.id, missing),
                       fmt::format("rule '{}' has no message ({}); its title is used", r.id, missing)));
        }
        if (r.message.id.empty()) r.message.id = r.title;
        if (r.message.en.empty()) r.message.en = r.title;
        if (!have_severity)
            error(diag_code::missing_severity, d.id.where,
                  both(fmt::format("aturan '{}' tanpa severity; dianggap medium", r.id),
                       fmt::format("rule '{}' has no severity; medium is assumed", r.id)));
        out_.rules.push_back(std::move(r));
    }

    void conflicting(span here, span first) {
        const source_file& f = out_.sources.at(first.file);
        const auto lc = f.locate(first.begin);
        error(diag_code::conflicting_statements, here,
              both(fmt::format("bertentangan dengan pernyataan di baris {}: pilih satu dari requires, allowed, forbidden",
                               lc.line),
                   fmt::format("conflicts with the statement on line {}: choose one of requires, allowed, forbidden",
                               lc.line)));
    }

    void set_message(bilingual& target, const ast::message_stmt& m) {
        std::string* slot = m.language.text == "id" ? &target.id : m.language.text == "en" ? &target.en : nullptr;
        if (slot == nullptr) {
            error(diag_code::unknown_name, m.language.where,
                  both(fmt::format("bahasa '{}' tidak dikenal; gunakan id atau en", m.language.text),
                       fmt::format("unknown language '{}'; use id or en", m.language.text)),
                  did_you_mean(m.language.text, {"id", "en"}));
            return;
        }
        if (!slot->empty()) repeated(m.where, m.language.text == "id" ? "message id" : "message en");
        *slot = m.body.value;
    }

    void compile_escalation(const ast::escalation_decl& e) {
        if (have_escalation_) {
            error(diag_code::duplicate_declaration, e.where,
                  both("hanya satu blok escalation per himpunan aturan", "only one escalation block per rule set"));
            return;
        }
        have_escalation_ = true;
        std::set<std::string> ids;
        for (const ast::stage_decl& s : e.stages) {
            stage st;
            st.id = s.id.text;
            if (!ids.insert(s.id.text).second)
                error(diag_code::duplicate_declaration, s.id.where,
                      both(fmt::format("tahap '{}' sudah dideklarasikan", s.id.text),
                           fmt::format("stage '{}' is already declared", s.id.text)));
            const std::string& t = s.trigger.text;
            if (t == "finding") st.trigger = ast::trigger_kind::finding;
            else if (t == "warning") st.trigger = ast::trigger_kind::warning;
            else if (t == "overdue") st.trigger = ast::trigger_kind::overdue;
            else if (t == "cutoff") st.trigger = ast::trigger_kind::cutoff;
            else
                error(diag_code::unknown_name, s.trigger.where,
                      both(fmt::format("pemicu '{}' tidak dikenal", t), fmt::format("unknown trigger '{}'", t)),
                      did_you_mean(t, {"finding", "warning", "overdue", "cutoff"}));
            st.count = std::max(1, s.count);
            for (const ast::message_stmt& m : s.labels) set_message(st.label, m);
            if (st.label.id.empty()) st.label.id = st.id;
            if (st.label.en.empty()) st.label.en = st.id;
            out_.ladder.push_back(std::move(st));
        }
    }

    void resolve_overrides() {
        std::unordered_map<std::string, std::vector<std::uint32_t>> by_id;
        std::vector<std::string> ids;
        for (std::uint32_t i = 0; i < out_.rules.size(); ++i) {
            by_id[out_.rules[i].id].push_back(i);
            ids.push_back(out_.rules[i].id);
        }
        for (const pending_override& o : overrides_) {
            const auto it = by_id.find(o.target.text);
            if (it == by_id.end()) {
                error(diag_code::unknown_name, o.target.where,
                      both(fmt::format("aturan '{}' tidak dikenal", o.target.text),
                           fmt::format("unknown rule '{}'", o.target.text)),
                      did_you_mean(o.target.text, ids));
                continue;
            }
            for (const std::uint32_t target : it->second)
                if (target != o.rule) out_.rules[o.rule].overrides.push_back(target);
        }
    }

    void check_rule_periods() {
        std::unordered_map<std::string, std::vector<std::uint32_t>> by_id;
        for (std::uint32_t i = 0; i < out_.rules.size(); ++i) by_id[out_.rules[i].id].push_back(i);
        for (const auto& [id, versions] : by_id) {
            for (std::size_t a = 0; a < versions.size(); ++a) {
                for (std::size_t b = a + 1; b < versions.size(); ++b) {
                    const rule& first = out_.rules[versions[a]];
                    const rule& second = out_.rules[versions[b]];
                    if (!first.in_force.overlaps(second.in_force)) continue;
                    const source_file& f = out_.sources.at(first.where.file);
                    const auto lc = f.locate(first.where.begin);
                    const date from = std::max(first.in_force.from, second.in_force.from);
                    error(diag_code::overlapping_rule_period, second.where,
                          both(fmt::format("aturan '{}' juga didefinisikan di {}:{}:{}; keduanya berlaku pada {}", id,
                                           f.name(), lc.line, lc.column, from.iso()),
                               fmt::format("rule '{}' is also defined at {}:{}:{}; both are in force on {}", id, f.name(),
                                           lc.line, lc.column, from.iso())));
                }
            }
        }
    }

    // A rule whose every condition is at most as wide as another's, and narrower
    // in one, is more specific: where both apply, it wins.
    void derive_specificity() {
        for (std::uint32_t a = 0; a < out_.rules.size(); ++a) {
            for (std::uint32_t b = 0; b < out_.rules.size(); ++b) {
                if (a == b) continue;
                const rule& x = out_.rules[a];
                const rule& y = out_.rules[b];
                if (x.kind != rule_kind::requirement || y.kind != rule_kind::requirement) continue;
                if (narrower_or_equal(x, y) && !narrower_or_equal(y, x)) {
                    auto& o = out_.rules[a].overrides;
                    if (std::find(o.begin(), o.end(), b) == o.end()) o.push_back(b);
                }
            }
        }
    }

    static bool narrower_or_equal(const rule& x, const rule& y) {
        if (!x.ranks.subset_of(y.ranks) || !x.levels.subset_of(y.levels) || !x.units.subset_of(y.units)) return false;
        for (std::size_t i = 0; i < action_count; ++i)
            if (x.applies_to_action(static_cast<action>(i)) && !y.applies_to_action(static_cast<action>(i))) return false;
        if (!y.positions.empty()) {
            if (x.positions.empty()) return false;
            for (const std::string& p : x.positions)
                if (std::find(y.positions.begin(), y.positions.end(), p) == y.positions.end()) return false;
        }
        if (y.vacant_only && !x.vacant_only) return false;
        if (y.has_reason_filter) {
            if (!x.has_reason_filter) return false;
            for (std::size_t i = 0; i < reason_count; ++i)
                if (x.reason_filter[i] && !y.reason_filter[i]) return false;
        }
        return true;
    }
};

}  // namespace

compile_result compile(loaded_rules&& loaded) {
    compiler c(loaded);
    return c.run();
}

}  // namespace patuh
