// Rule tests: preparing `test` blocks, running them through the engine,
// comparing findings with expectations, and measuring coverage.

#include <patuh/rule_test.hpp>

#include "common/support.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <map>

namespace patuh {

namespace {


std::string trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string_view::npos) return {};
    const auto e = s.find_last_not_of(" \t");
    return std::string(s.substr(b, e - b + 1));
}

class preparer {
public:
    preparer(const rule_set& rules, diagnostic_list& diags) : rules_(rules), diags_(diags) {
        for (const rule& r : rules.rules) rule_ids_.push_back(r.id);
        for (const stage& s : rules.ladder) stage_ids_.push_back(s.id);
    }

    std::optional<rule_test> prepare(const ast::test_decl& d) {
        if (const auto [it, fresh] = test_ids_.emplace(d.id.text, d.id.where); !fresh) {
            error(diag_code::duplicate_declaration, d.id.where,
                  both(fmt::format("uji '{}' sudah dideklarasikan di {}", d.id.text, rules_.sources.where(it->second)),
                       fmt::format("test '{}' is already declared at {}", d.id.text, rules_.sources.where(it->second))));
        }
        const std::size_t errors_before = diags_.error_count();
        rule_test t;
        t.id = d.id.text;
        t.title = d.title ? d.title->value : std::string();
        t.where = d.id.where;
        bool have_date = false;
        for (const ast::test_item& item : d.items) {
            std::visit(overloaded{
                           [&](const ast::as_of_stmt& a) {
                               if (have_date)
                                   error(diag_code::repeated_statement, a.where,
                                         both("'as of' diberikan dua kali", "'as of' is given twice"));
                               have_date = true;
                               t.as_of = a.day.value;
                           },
                           [&](const ast::event_stmt& e) { add_record(t, e); },
                           [&](const ast::events_stmt& e) { add_file(t, e); },
                           [&](const ast::expect_stmt& x) {
                               if (auto resolved = resolve(x)) t.expectations.push_back(std::move(*resolved));
                           },
                       },
                       item);
        }
        if (!have_date)
            error(diag_code::test_without_date, d.id.where,
                  both(fmt::format("uji '{}' tidak punya 'as of': tanggal laporan harus dibekukan", d.id.text),
                       fmt::format("test '{}' has no 'as of': its report date must be frozen", d.id.text)));
        const bool expects = std::any_of(d.items.begin(), d.items.end(), [](const ast::test_item& i) {
            return std::holds_alternative<ast::expect_stmt>(i);
        });
        if (!expects)
            error(diag_code::test_without_expectation, d.id.where,
                  both(fmt::format("uji '{}' tidak mengharapkan apa pun, jadi tidak pernah gagal", d.id.text),
                       fmt::format("test '{}' expects nothing, so it can never fail", d.id.text)));
        if (diags_.error_count() != errors_before) return std::nullopt;
        return t;
    }

private:
    const rule_set& rules_;
    diagnostic_list& diags_;
    std::vector<std::string> rule_ids_;
    std::vector<std::string> stage_ids_;
    std::map<std::string, span> test_ids_;

    void error(diag_code code, span where, bilingual message, std::string suggestion = {}) {
        diags_.add({code, where, std::move(message), "", std::move(suggestion)});
    }

    std::string file_name(const span& s) const { return rules_.sources.at(s.file).name(); }
    std::size_t line_of(const span& s) const { return rules_.sources.at(s.file).locate(s.begin).line; }

    void add_record(rule_test& t, const ast::event_stmt& e) {
        nlohmann::json value;
        try {
            value = nlohmann::json::parse(e.json);
        } catch (const nlohmann::json::parse_error& x) {
            span at = e.record;
            at.begin = std::min(e.record.end, e.record.begin + static_cast<std::uint32_t>(x.byte > 0 ? x.byte - 1 : 0));
            at.end = std::min(e.record.end, at.begin + 1);
            const std::string detail = x.what();
            const auto colon = detail.find(": ");
            const std::string why = colon == std::string::npos ? detail : detail.substr(colon + 2);
            error(diag_code::rejected_test_event, at,
                  both(fmt::format("rekaman peristiwa bukan JSON yang sah ({})", why),
                       fmt::format("the event record is not valid JSON ({})", why)));
            return;
        }
        // A record without an id is named after its place: "tests.patuh:12".
        if (value.is_object() && !value.contains("id"))
            value["id"] = place_id(file_name(e.where), line_of(e.where));
        rejection why;
        std::optional<event> decoded = decode_event(value, rules_, why);
        if (!decoded) {
            // Point at the offending field when the record names it.
            span at = e.record;
            const std::string first = why.field.substr(0, why.field.find_first_of(".["));
            if (const auto key = e.json.find(fmt::format("\"{}\"", first)); !first.empty() && key != std::string::npos) {
                at.begin = e.record.begin + static_cast<std::uint32_t>(key);
                at.end = at.begin + static_cast<std::uint32_t>(first.size() + 2);
            }
            error(diag_code::rejected_test_event, at,
                  both(fmt::format("{} {}", why.code, why.reason.id), fmt::format("{} {}", why.code, why.reason.en)));
            return;
        }
        decoded->source = file_name(e.where);
        decoded->line = line_of(e.where);
        t.events.push_back(std::move(*decoded));
    }

    void add_file(rule_test& t, const ast::events_stmt& e) {
        const std::filesystem::path base = std::filesystem::path(file_name(e.where)).parent_path();
        const std::string path = (base / e.path.value).generic_string();
        errno = 0;
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            const bilingual why = io_reason(errno);
            error(diag_code::unreadable_file, e.path.where,
                  both(fmt::format("berkas peristiwa '{}' tidak dapat dibaca: {}", path, why.id),
                       fmt::format("the event file '{}' cannot be read: {}", path, why.en)));
            return;
        }
        read_events(
            in, path, rules_, [&](const event& x) { t.events.push_back(x); },
            [&](rejection&& x) {
                error(diag_code::rejected_test_event, e.path.where,
                      both(fmt::format("{}:{}: {} {}", x.source, x.line, x.code, x.reason.id),
                           fmt::format("{}:{}: {} {}", x.source, x.line, x.code, x.reason.en)));
            });
    }

    std::optional<expectation> resolve(const ast::expect_stmt& x) {
        expectation out;
        out.form = x.form;
        out.where = x.where;
        bool ok = true;
        if (x.form == ast::expect_form::present || x.form == ast::expect_form::absent) {
            if (std::find(rule_ids_.begin(), rule_ids_.end(), x.rule.text) == rule_ids_.end()) {
                error(diag_code::unknown_name, x.rule.where,
                      both(fmt::format("aturan '{}' tidak dikenal", x.rule.text),
                           fmt::format("unknown rule '{}'", x.rule.text)),
                      did_you_mean(x.rule.text, rule_ids_));
                ok = false;
            }
            out.rule = x.rule.text;
        }
        if (x.form == ast::expect_form::stage) {
            if (x.stage.text != "none") {
                const auto it = std::find(stage_ids_.begin(), stage_ids_.end(), x.stage.text);
                if (it == stage_ids_.end()) {
                    std::vector<std::string> words = stage_ids_;
                    words.emplace_back("none");
                    error(diag_code::unknown_name, x.stage.where,
                          both(fmt::format("tahap '{}' tidak dikenal", x.stage.text),
                               fmt::format("unknown stage '{}'", x.stage.text)),
                          did_you_mean(x.stage.text, words));
                    ok = false;
                } else {
                    out.stage = static_cast<int>(it - stage_ids_.begin());
                }
            }
        }
        if (x.severity) out.sev = parse_severity(x.severity->text);
        if (x.opened) out.opened = x.opened->value;
        if (x.closed) out.closed = x.closed->value;
        out.still_open = x.still_open;
        if (x.region) out.region = x.region->value;
        if (x.event_id) out.event_id = x.event_id->value;
        // Each filter once; `open` and `closed` exclude each other.
        std::map<std::string, span> seen;
        for (const ast::name& f : x.filters) {
            std::string word = f.text;
            if (parse_severity(word)) word = "severity";
            if (word == "open") word = "closed";
            if (const auto [it, fresh] = seen.emplace(word, f.where); !fresh) {
                const bool conflict = word == "closed" && x.still_open && x.closed;
                error(conflict ? diag_code::conflicting_statements : diag_code::repeated_statement, f.where,
                      conflict ? both("'open' dan 'closed' saling meniadakan", "'open' and 'closed' exclude each other")
                               : both(fmt::format("'{}' diberikan dua kali dalam satu 'expect'", word),
                                      fmt::format("'{}' is given twice in one 'expect'", word)));
                ok = false;
            }
        }
        if (!ok) return std::nullopt;
        return out;
    }
};

// ---- describing findings and expectations ------------------------------------------

struct described {
    std::string id, en;
};

described describe(const finding& f, const rule_set& rules) {
    const rule& r = rules.rules[f.rule];
    described d{fmt::format("{} {}, dibuka {}", r.id, to_string(f.sev), f.opened.iso()),
                fmt::format("{} {}, opened {}", r.id, to_string(f.sev), f.opened.iso())};
    if (f.closed) {
        d.id += fmt::format(", ditutup {}", f.closed->iso());
        d.en += fmt::format(", closed {}", f.closed->iso());
    } else {
        d.id += ", masih terbuka";
        d.en += ", still open";
    }
    d.id += fmt::format(" (wilayah {}, peristiwa {})", f.region, f.event_id);
    d.en += fmt::format(" (region {}, event {})", f.region, f.event_id);
    return d;
}

described describe(const expectation& x) {
    described d{x.rule, x.rule};
    if (x.sev) {
        d.id += fmt::format(" {}", to_string(*x.sev));
        d.en += fmt::format(" {}", to_string(*x.sev));
    }
    if (x.opened) {
        d.id += fmt::format(", dibuka {}", x.opened->iso());
        d.en += fmt::format(", opened {}", x.opened->iso());
    }
    if (x.still_open) {
        d.id += ", masih terbuka";
        d.en += ", still open";
    }
    if (x.closed) {
        d.id += fmt::format(", ditutup {}", x.closed->iso());
        d.en += fmt::format(", closed {}", x.closed->iso());
    }
    if (!x.region.empty()) {
        d.id += fmt::format(", wilayah {}", x.region);
        d.en += fmt::format(", region {}", x.region);
    }
    if (!x.event_id.empty()) {
        d.id += fmt::format(", peristiwa {}", x.event_id);
        d.en += fmt::format(", event {}", x.event_id);
    }
    return d;
}

bool matches(const expectation& x, const finding& f, const rule_set& rules) {
    if (rules.rules[f.rule].id != x.rule) return false;
    if (x.sev && f.sev != *x.sev) return false;
    if (x.opened && f.opened != *x.opened) return false;
    if (x.still_open && f.closed) return false;
    if (x.closed && f.closed != x.closed) return false;
    if (!x.region.empty() && f.region != x.region) return false;
    if (!x.event_id.empty() && f.event_id != x.event_id) return false;
    return true;
}

// "found: a; b" listing findings, or "found none".
described listing(const std::vector<const finding*>& found, const rule_set& rules, const char* none_id,
                  const char* none_en) {
    if (found.empty()) return {none_id, none_en};
    described d{"ditemukan: ", "found: "};
    for (std::size_t i = 0; i < found.size(); ++i) {
        const described one = describe(*found[i], rules);
        d.id += (i > 0 ? "; " : "") + one.id;
        d.en += (i > 0 ? "; " : "") + one.en;
    }
    return d;
}

std::string stage_name(const rule_set& rules, int stage) {
    return stage < 0 ? std::string("none") : rules.ladder[static_cast<std::size_t>(stage)].id;
}

}  // namespace

std::vector<ast::test_decl> test_blocks(const loaded_rules& loaded) {
    std::vector<ast::test_decl> out;
    for (const ast::file& f : loaded.files)
        for (const ast::top_item& item : f.items)
            if (const auto* t = std::get_if<ast::test_decl>(&item)) out.push_back(*t);
    return out;
}

std::vector<rule_test> prepare_tests(const std::vector<ast::test_decl>& blocks, const rule_set& rules,
                                     diagnostic_list& diags) {
    preparer p(rules, diags);
    std::vector<rule_test> out;
    for (const ast::test_decl& d : blocks)
        if (auto t = p.prepare(d)) out.push_back(std::move(*t));
    return out;
}

test_result run_test(const rule_test& test, const rule_set& rules) {
    test_result result;
    result.test = &test;
    engine_options options;
    options.as_of = test.as_of;
    engine eng(rules, options);
    for (const event& e : test.events) {
        rejection why;
        if (!eng.add(e, why))
            result.failures.push_back(
                {test.where, both(fmt::format("peristiwa {} ({}:{}) tidak dapat dinilai: {}", e.id, e.source, e.line,
                                              why.reason.id),
                                  fmt::format("event {} ({}:{}) could not be judged: {}", e.id, e.source, e.line,
                                              why.reason.en))});
    }
    result.audit = eng.finish();
    const std::vector<finding> findings = result.audit.findings.to_vector();
    std::vector<bool> used(findings.size(), false);
    for (const expectation& x : test.expectations) {
        const described want = describe(x);
        switch (x.form) {
        case ast::expect_form::present: {
            bool found = false;
            for (std::size_t i = 0; i < findings.size() && !found; ++i) {
                if (!used[i] && matches(x, findings[i], rules)) {
                    used[i] = true;
                    found = true;
                }
            }
            if (found) break;
            std::vector<const finding*> same_rule;
            for (const finding& f : findings)
                if (rules.rules[f.rule].id == x.rule) same_rule.push_back(&f);
            const described got = listing(same_rule, rules, "tidak ada temuan aturan ini", "no finding of this rule");
            result.failures.push_back({x.where, both(fmt::format("diharapkan temuan {}; {}", want.id, got.id),
                                                     fmt::format("expected finding {}; {}", want.en, got.en))});
            break;
        }
        case ast::expect_form::absent: {
            std::vector<const finding*> unwanted;
            for (const finding& f : findings)
                if (matches(x, f, rules)) unwanted.push_back(&f);
            if (unwanted.empty()) break;
            const described got = listing(unwanted, rules, "", "");
            result.failures.push_back({x.where, both(fmt::format("diharapkan tidak ada temuan {}; {}", want.id, got.id),
                                                     fmt::format("expected no finding {}; {}", want.en, got.en))});
            break;
        }
        case ast::expect_form::none: {
            if (findings.empty()) break;
            std::vector<const finding*> all;
            for (const finding& f : findings) all.push_back(&f);
            const described got = listing(all, rules, "", "");
            result.failures.push_back({x.where, both(fmt::format("diharapkan tidak ada temuan sama sekali; {}", got.id),
                                                     fmt::format("expected no findings at all; {}", got.en))});
            break;
        }
        case ast::expect_form::stage: {
            int actual = -1;
            for (const region_state& r : result.audit.regions)
                if (r.code == x.region) actual = r.stage;
            if (actual == x.stage) break;
            result.failures.push_back(
                {x.where, both(fmt::format("diharapkan wilayah {} pada tahap {}; tahapnya {}", x.region,
                                           stage_name(rules, x.stage), stage_name(rules, actual)),
                               fmt::format("expected region {} on stage {}; it is on stage {}", x.region,
                                           stage_name(rules, x.stage), stage_name(rules, actual)))});
            break;
        }
        }
    }
    return result;
}

std::vector<std::string> cited_articles(std::string_view citation) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= citation.size()) {
        std::size_t stop = citation.find(';', start);
        if (stop == std::string_view::npos) stop = citation.size();
        std::string part = trim(citation.substr(start, stop - start));
        if (!part.empty()) out.push_back(std::move(part));
        start = stop + 1;
    }
    return out;
}

std::size_t test_coverage::rules_exercised() const {
    return static_cast<std::size_t>(std::count(rule_exercised.begin(), rule_exercised.end(), true));
}

std::size_t test_coverage::articles_exercised() const {
    return static_cast<std::size_t>(
        std::count_if(articles.begin(), articles.end(), [](const article& a) { return a.exercised; }));
}

test_coverage measure_coverage(const rule_set& rules, const std::vector<test_result>& results) {
    test_coverage c;
    c.rule_exercised.assign(rules.rules.size(), false);
    for (const test_result& r : results)
        for (std::size_t i = 0; i < r.audit.judged.size() && i < c.rule_exercised.size(); ++i)
            if (r.audit.judged[i] > 0) c.rule_exercised[i] = true;
    for (std::uint32_t i = 0; i < rules.rules.size(); ++i) {
        for (const std::string& text : cited_articles(rules.rules[i].citation)) {
            auto it = std::find_if(c.articles.begin(), c.articles.end(),
                                   [&](const test_coverage::article& a) { return a.text == text; });
            if (it == c.articles.end()) it = c.articles.insert(c.articles.end(), {text, false, {}});
            it->rules.push_back(i);
            if (c.rule_exercised[i]) it->exercised = true;
        }
    }
    return c;
}

}  // namespace patuh
