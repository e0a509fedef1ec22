// Rule tests: the `test` block syntax, preparation (names, events, dates),
// running expectations against the engine's findings, and coverage.

#include "rules_text.hpp"

#include <catch2/catch.hpp>

#include <patuh/format.hpp>
#include <patuh/parse.hpp>
#include <patuh/rule_set.hpp>
#include <patuh/rule_test.hpp>

#include <algorithm>

using namespace patuh;
using patuh::testing::codes;

namespace {

const char* const rules_text = R"rules(authority menteri "Menteri Dalam Negeri"
authority dirjen "Dirjen" under menteri
rank II "Eselon II" aliases "II.b"
rank III "Eselon III"
unit disdukcapil "Dinas"
level kota "Kota" codes "PP.71-99"
policy p "P" {
  in force from 2016-01-01
  cite "UU 24/2013 Pasal 83A ayat (2); Permendagri 76/2015"
  rule kadis "Kadis" {
    when rank II
    requires menteri
    severity high
    message id "x"
    message en "x"
  }
  rule sekretaris "Sekretaris" {
    when rank III
    requires dirjen
    severity medium
    cite "UU 24/2013 Pasal 83A ayat (3)"
    message id "x"
    message en "x"
  }
}
escalation {
  stage diawasi on finding
  stage diputus on cutoff
}
)rules";

const char* const unapproved =
    R"({"id":"e1","kind":"appoint","date":"2017-08-11","region":"73.73","unit":"disdukcapil","position":"Kepala Dinas","rank":"II","person":{"nip":"197002151995031002"}})";

struct prepared {
    compile_result compiled;
    std::vector<rule_test> tests;
};

prepared prepare(const std::string& tests_text) {
    loaded_rules l;
    const std::uint32_t a = l.sources.add("set.patuh", rules_text);
    const std::uint32_t b = l.sources.add("tests.patuh", tests_text);
    l.files.push_back(parse_file(l.sources, a, l.diags));
    l.files.push_back(parse_file(l.sources, b, l.diags));
    const std::vector<ast::test_decl> blocks = test_blocks(l);
    prepared p{compile(std::move(l)), {}};
    if (p.compiled.rules) p.tests = prepare_tests(blocks, *p.compiled.rules, p.compiled.diags);
    return p;
}

std::string where(const prepared& p, const span& s) { return p.compiled.sources().where(s); }

std::string one_test(const std::string& body) { return "test t \"T\" {\n  as of 2017-12-31\n" + body + "}\n"; }

}  // namespace

TEST_CASE("a test block is parsed with its date, events and expectations") {
    const prepared p = prepare(one_test(std::string("  event ") + unapproved +
                                        "\n  expect kadis high opened 2017-08-11 open region \"73.73\" event \"e1\"\n"
                                        "  expect no sekretaris\n  expect stage \"73.73\" diawasi\n"));
    REQUIRE(p.compiled.diags.items.empty());
    REQUIRE(p.tests.size() == 1);
    const rule_test& t = p.tests[0];
    CHECK(t.id == "t");
    CHECK(t.title == "T");
    CHECK(t.as_of.iso() == "2017-12-31");
    REQUIRE(t.events.size() == 1);
    CHECK(t.events[0].id == "e1");
    CHECK(t.events[0].source == "tests.patuh");
    CHECK(t.events[0].line == 3);
    REQUIRE(t.expectations.size() == 3);
    const expectation& x = t.expectations[0];
    CHECK(x.form == ast::expect_form::present);
    CHECK(x.rule == "kadis");
    CHECK(x.sev == severity::high);
    CHECK(x.opened->iso() == "2017-08-11");
    CHECK(x.still_open);
    CHECK(!x.closed);
    CHECK(x.region == "73.73");
    CHECK(x.event_id == "e1");
    CHECK(t.expectations[1].form == ast::expect_form::absent);
    CHECK(t.expectations[2].form == ast::expect_form::stage);
    CHECK(t.expectations[2].stage == 0);
}

TEST_CASE("a record without an id is named after its file and line") {
    const prepared p = prepare(
        one_test(R"(  event {"kind":"appoint","date":"2017-08-11","region":"73.73","unit":"disdukcapil","position":"Kepala Dinas","rank":"II","person":{"nip":"197002151995031002"}})"
                 "\n  expect none\n"));
    REQUIRE(p.tests.size() == 1);
    CHECK(p.tests[0].events.at(0).id == "tests.patuh:3");
}

TEST_CASE("mistakes in tests are diagnostics with codes and places") {
    SECTION("no report date, no expectation") {
        const prepared p = prepare("test t {\n  event " + std::string(unapproved) + "\n}\n");
        CHECK(codes(p.compiled.diags) == std::vector<std::string>{"E0501", "E0503"});
        CHECK(where(p, p.compiled.diags.items[0].where) == "tests.patuh:1:6");
        CHECK(p.tests.empty());
    }
    SECTION("an unknown rule and stage get suggestions") {
        const prepared p = prepare(one_test("  expect kadsi\n  expect stage \"73.73\" diputs\n"));
        REQUIRE(codes(p.compiled.diags) == std::vector<std::string>{"E0201", "E0201"});
        CHECK(p.compiled.diags.items[0].suggestion == "kadis");
        CHECK(where(p, p.compiled.diags.items[0].where) == "tests.patuh:3:10");
        CHECK(p.compiled.diags.items[1].suggestion == "diputus");
    }
    SECTION("an event the reader rejects points at the offending field") {
        const prepared p = prepare(one_test(R"(  event {"kind":"apoint","date":"2017-08-11"})"
                                            "\n  expect none\n"));
        REQUIRE(codes(p.compiled.diags) == std::vector<std::string>{"E0502"});
        CHECK(where(p, p.compiled.diags.items[0].where) == "tests.patuh:3:10");
        CHECK(p.compiled.diags.items[0].message.en.starts_with("R0106 "));
    }
    SECTION("broken JSON points at the byte where it broke") {
        const prepared p = prepare(one_test("  event {\"kind\":}\n  expect none\n"));
        REQUIRE(codes(p.compiled.diags) == std::vector<std::string>{"E0502"});
        CHECK(where(p, p.compiled.diags.items[0].where) == "tests.patuh:3:17");
    }
    SECTION("repeated and conflicting filters") {
        const prepared p = prepare(one_test("  expect kadis high low\n  expect kadis open closed 2017-09-01\n"
                                            "  expect kadis open high closed 2017-09-01 low\n"));
        CHECK(codes(p.compiled.diags) == std::vector<std::string>{"E0206", "E0210", "E0210", "E0206"});
    }
    SECTION("two tests with one id") {
        const prepared p = prepare(one_test("  expect none\n") + one_test("  expect none\n"));
        CHECK(codes(p.compiled.diags) == std::vector<std::string>{"E0202"});
    }
    SECTION("a filter the grammar does not know is a syntax error listing the filters") {
        const prepared p = prepare(one_test("  expect kadis severe\n"));
        REQUIRE(codes(p.compiled.diags) == std::vector<std::string>{"E0101"});
        CHECK(p.compiled.diags.items[0].message.en.find("opened, open, closed") != std::string::npos);
    }
}

TEST_CASE("expectations pass and fail against the engine's findings") {
    const prepared p = prepare(
        "test pass {\n  as of 2017-12-31\n  event " + std::string(unapproved) +
        "\n  expect kadis high opened 2017-08-11 open\n  expect no sekretaris\n  expect stage \"73.73\" diawasi\n}\n"
        "test fail {\n  as of 2017-12-31\n  event " + unapproved +
        "\n  expect kadis medium\n  expect no kadis\n  expect none\n  expect sekretaris\n"
        "  expect kadis closed 2017-09-01\n  expect stage \"73.73\" none\n}\n");
    REQUIRE(p.compiled.diags.items.empty());
    REQUIRE(p.tests.size() == 2);
    const rule_set& rules = *p.compiled.rules;

    const test_result good = run_test(p.tests[0], rules);
    CHECK(good.passed());

    const test_result bad = run_test(p.tests[1], rules);
    REQUIRE(bad.failures.size() == 6);
    CHECK(where(p, bad.failures[0].where) == "tests.patuh:11:3");
    CHECK(bad.failures[0].message.en ==
          "expected finding kadis medium; found: kadis high, opened 2017-08-11, still open (region 73.73, event e1)");
    CHECK(bad.failures[1].message.en.starts_with("expected no finding kadis; found: kadis high"));
    CHECK(bad.failures[2].message.en.starts_with("expected no findings at all; found: kadis high"));
    CHECK(bad.failures[3].message.en == "expected finding sekretaris; no finding of this rule");
    CHECK(bad.failures[4].message.en.starts_with("expected finding kadis, closed 2017-09-01; found:"));
    CHECK(bad.failures[5].message.en == "expected region 73.73 on stage none; it is on stage diawasi");
    CHECK(bad.failures[5].message.id == "diharapkan wilayah 73.73 pada tahap none; tahapnya diawasi");
}

TEST_CASE("each expected finding matches a finding of its own") {
    const prepared p = prepare(one_test(std::string("  event ") + unapproved + "\n  expect kadis\n  expect kadis\n"));
    REQUIRE(p.tests.size() == 1);
    const test_result r = run_test(p.tests[0], *p.compiled.rules);
    REQUIRE(r.failures.size() == 1);
    CHECK(where(p, r.failures[0].where) == "tests.patuh:5:3");
}

TEST_CASE("the report date is frozen: later events are not judged") {
    const prepared p = prepare("test t {\n  as of 2017-08-10\n  event " + std::string(unapproved) +
                               "\n  expect none\n}\n");
    REQUIRE(p.tests.size() == 1);
    const test_result r = run_test(p.tests[0], *p.compiled.rules);
    CHECK(r.passed());
    CHECK(r.audit.after_as_of == 1);
}

TEST_CASE("an event the engine cannot place fails its test") {
    // Dated before an event already applied to the same post.
    const prepared p = prepare(one_test(
        std::string("  event ") + unapproved +
        "\n  event "
        R"({"id":"e0","kind":"dismiss","date":"2017-01-01","region":"73.73","unit":"disdukcapil","position":"Kepala Dinas","rank":"II","person":{"nip":"197002151995031002"}})"
        "\n  expect kadis\n"));
    REQUIRE(p.tests.size() == 1);
    const test_result r = run_test(p.tests[0], *p.compiled.rules);
    REQUIRE(r.failures.size() == 1);
    CHECK(r.failures[0].message.en.starts_with("event e0 (tests.patuh:4) could not be judged"));
}

TEST_CASE("coverage names the rules and cited articles the tests exercised") {
    const prepared p = prepare(one_test(std::string("  event ") + unapproved + "\n  expect kadis\n"));
    REQUIRE(p.tests.size() == 1);
    const rule_set& rules = *p.compiled.rules;
    const test_coverage c = measure_coverage(rules, {run_test(p.tests[0], rules)});
    CHECK(c.rule_exercised == std::vector<bool>{true, false});
    CHECK(c.rules_exercised() == 1);
    REQUIRE(c.articles.size() == 3);
    CHECK(c.articles[0].text == "UU 24/2013 Pasal 83A ayat (2)");
    CHECK(c.articles[0].exercised);
    CHECK(c.articles[1].text == "Permendagri 76/2015");
    CHECK(c.articles[1].exercised);
    CHECK(c.articles[2].text == "UU 24/2013 Pasal 83A ayat (3)");
    CHECK(!c.articles[2].exercised);
    CHECK(c.articles[2].rules == std::vector<std::uint32_t>{1});
    CHECK(c.articles_exercised() == 2);
}

TEST_CASE("cited articles are the parts of a citation between semicolons") {
    CHECK(cited_articles("UU 24/2013 Pasal 83A ayat (2); Permendagri 76/2015") ==
          std::vector<std::string>{"UU 24/2013 Pasal 83A ayat (2)", "Permendagri 76/2015"});
    CHECK(cited_articles(" ; A ;") == std::vector<std::string>{"A"});
    CHECK(cited_articles("").empty());
}

TEST_CASE("fmt keeps the JSON record of an event line as written") {
    const std::string messy = "test t {\n      as of 2017-12-31\n event   {\"kind\" :  \"appoint\",\"x\":[1, 2]}   \n"
                              "  expect   kadis high\n}\n";
    CHECK(format_rules(messy) == "test t {\n  as of 2017-12-31\n  event {\"kind\" :  \"appoint\",\"x\":[1, 2]}\n"
                                 "  expect kadis high\n}\n");
}

TEST_CASE("the shipped rule set passes its own tests and exercises every rule") {
    loaded_rules l = load_embedded_rules();
    const std::vector<ast::test_decl> blocks = test_blocks(l);
    compile_result c = compile(std::move(l));
    REQUIRE(c.rules);
    const std::vector<rule_test> tests = prepare_tests(blocks, *c.rules, c.diags);
    CHECK(c.diags.items.empty());
    CHECK(tests.size() >= 15);
    std::vector<test_result> results;
    for (const rule_test& t : tests) {
        results.push_back(run_test(t, *c.rules));
        INFO(t.id);
        CHECK(results.back().passed());
    }
    const test_coverage cov = measure_coverage(*c.rules, results);
    CHECK(cov.rules_exercised() == c.rules->rules.size());
    CHECK(cov.articles_exercised() == cov.articles.size());
}
