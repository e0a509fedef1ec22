#pragma once
// Rule tests: `test` blocks in rule files give events, a frozen report date and
// the findings expected (or expected not to occur). `patuh test` runs them
// through the same engine as `patuh audit` and measures which rules and which
// cited articles they exercised. See docs/testing.md.

#include <patuh/ast.hpp>
#include <patuh/diagnostic.hpp>
#include <patuh/engine.hpp>
#include <patuh/event.hpp>
#include <patuh/parse.hpp>
#include <patuh/rule_set.hpp>

#include <optional>
#include <string>
#include <vector>

namespace patuh {

// One `expect` line, its names resolved.
struct expectation {
    ast::expect_form form = ast::expect_form::present;
    std::string rule;                // rule id (present, absent)
    std::optional<severity> sev;
    std::optional<date> opened;
    bool still_open = false;
    std::optional<date> closed;
    std::string region;              // empty: any region (stage: the region)
    std::string event_id;            // empty: any event
    int stage = -1;                  // stage: index into rule_set::ladder, -1: no stage
    span where;
};

struct rule_test {
    std::string id;
    std::string title;
    date as_of;
    std::vector<event> events;
    std::vector<expectation> expectations;
    span where;
};

// The `test` blocks of loaded rule files, in file order.
std::vector<ast::test_decl> test_blocks(const loaded_rules& loaded);

// Resolves the tests' names against the rule set and decodes their events
// (inline records, and `events` files read relative to the test's file).
// Problems are added to `diags` (E05xx, E0201, E0108, E0206, E0210).
std::vector<rule_test> prepare_tests(const std::vector<ast::test_decl>& blocks, const rule_set& rules,
                                     diagnostic_list& diags);

struct test_failure {
    span where;         // the expectation (or the test, for an event the engine refused)
    bilingual message;  // what was expected and what was found
};

struct test_result {
    const rule_test* test = nullptr;
    std::vector<test_failure> failures;
    audit_result audit;
    bool passed() const { return failures.empty(); }
};

test_result run_test(const rule_test& test, const rule_set& rules);

// Which rules judged at least one change in the tests, and which cited
// articles (the `;`-separated parts of rule citations) those rules carry.
struct test_coverage {
    std::vector<bool> rule_exercised;  // per rule_set::rules index
    struct article {
        std::string text;
        bool exercised = false;
        std::vector<std::uint32_t> rules;  // rules citing it
    };
    std::vector<article> articles;  // in order of first citation
    std::size_t rules_exercised() const;
    std::size_t articles_exercised() const;
};

test_coverage measure_coverage(const rule_set& rules, const std::vector<test_result>& results);

// The articles a citation names: "UU 24/2013 Pasal 83A; Permendagri 76/2015" → two.
std::vector<std::string> cited_articles(std::string_view citation);

}  // namespace patuh
