// The region's calendar: month arithmetic, `when during` windows in the
// language, and the engine's use of head_inaugurated / caretaker / election.

#include "rules_text.hpp"
#include "shipped.hpp"

#include <catch2/catch.hpp>

#include <patuh/engine.hpp>
#include <patuh/event.hpp>
#include <patuh/parse.hpp>
#include <patuh/rule_set.hpp>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <algorithm>

using namespace patuh;
using patuh::testing::codes;
using patuh::testing::compile_text;
using patuh::testing::shipped;

namespace {

date d(const char* iso) { return *date::parse(iso); }

event decoded(const char* json) {
    rejection why;
    std::optional<event> e = decode_event(nlohmann::json::parse(json), shipped(), why);
    INFO(why.code << " " << why.reason.en);
    REQUIRE(e);
    return *e;
}

std::vector<std::string> finding_rules(const audit_result& r) {
    std::vector<std::string> out;
    for (const finding& f : r.findings) out.push_back(shipped().rules[f.rule].id);
    std::sort(out.begin(), out.end());
    return out;
}

const char* const transfer_iii =
    R"({"id":"s1","kind":"transfer","date":"2017-09-01","region":"73.73","unit":"disdukcapil","position":"Sekretaris","rank":"III","person":{"nip":"197105051996032003"},"approvals":[{"authority":"dirjen","date":"2017-08-01"}]})";
const char* const election_2018 =
    R"({"id":"e1","kind":"election","date":"2017-06-01","region":"73.73","candidates":"2018-02-12","term_end":"2018-09-26"})";

}  // namespace

TEST_CASE("months are calendar months, clamped to the month's last day", "[calendar]") {
    CHECK(d("2018-02-12").plus_months(-6) == d("2017-08-12"));
    CHECK(d("2021-02-26").plus_months(6) == d("2021-08-26"));
    CHECK(d("2024-08-31").plus_months(6) == d("2025-02-28"));
    CHECK(d("2020-02-29").plus_months(12) == d("2021-02-28"));
    CHECK(d("2017-12-15").plus_months(1) == d("2018-01-15"));
    CHECK(d("2018-01-31").plus_months(-2) == d("2017-11-30"));
}

TEST_CASE("dates print as YYYY-MM-DD and read back as the same day", "[calendar]") {
    CHECK(d("1900-01-01").iso() == "1900-01-01");
    CHECK(d("2024-02-29").iso() == "2024-02-29");
    CHECK(d("2199-12-31").iso() == "2199-12-31");
    for (std::int32_t n = d("1900-01-01").days(); n <= d("2199-12-31").days(); n += 13) {
        const date day = date::from_days(n);
        INFO(n);
        CHECK(date::parse(day.iso()) == day);
        CHECK(day.iso() == fmt::format("{:04}-{:02}-{:02}", day.year(), day.month(), day.day()));
    }
    CHECK(date::from_days(-800'000).iso().front() == '-');  // far outside the calendar, still printed
}

TEST_CASE("a window is a period around each fact of the calendar", "[calendar]") {
    region_calendar c;
    c.elections.push_back({d("2018-02-12"), d("2018-09-26")});
    c.inaugurations.push_back(d("2021-02-26"));
    region_window before;
    before.amount = 6;
    before.before = true;
    before.from = anchor::candidates;
    before.until = anchor::term_end;
    CHECK_FALSE(c.within(before, d("2017-08-11")));
    CHECK(c.within(before, d("2017-08-12")));
    CHECK(c.within(before, d("2018-09-26")));
    CHECK_FALSE(c.within(before, d("2018-09-27")));
    region_window after;
    after.amount = 6;
    after.from = anchor::inauguration;
    CHECK_FALSE(c.within(after, d("2021-02-25")));
    CHECK(c.within(after, d("2021-02-26")));
    CHECK(c.within(after, d("2021-08-25")));
    CHECK_FALSE(c.within(after, d("2021-08-26")));
    region_window days;
    days.amount = 10;
    days.months = false;
    days.from = anchor::inauguration;
    CHECK(c.within(days, d("2021-03-07")));
    CHECK_FALSE(c.within(days, d("2021-03-08")));
}

TEST_CASE("windows in the rule language: anchors, units and misuse", "[calendar][compile]") {
    const std::string vocabulary = R"(authority menteri "Menteri"
rank II "Eselon II"
unit disdukcapil "Dinas"
level kota "Kota" codes "PP.71-99"
)";
    const auto rule_with = [&](const std::string& lines) {
        return vocabulary + "policy p {\n  in force from 2016-07-01\n  rule r \"R\" {\n" + lines +
               "    requires menteri\n    severity high\n    cite \"X\"\n    message id \"x\"\n    message en \"x\"\n  }\n}\n";
    };
    SECTION("a good window makes a restriction judged on its own") {
        const compile_result c = compile_text(rule_with("    when during 6 months before candidates until term_end\n"));
        REQUIRE(c.rules);
        const rule& r = c.rules->rules.at(0);
        REQUIRE(r.window);
        CHECK(r.kind == rule_kind::moratorium);
        CHECK(r.window->before);
        CHECK(r.window->from == anchor::candidates);
        CHECK(r.window->until == anchor::term_end);
    }
    SECTION("a misspelt anchor gets a suggestion") {
        const compile_result c = compile_text(rule_with("    when during 6 months after inaugration\n"));
        REQUIRE(codes(c.diags) == std::vector<std::string>{"E0201"});
        CHECK(c.diags.items[0].suggestion == "inauguration");
    }
    SECTION("until joins only the dates of an election") {
        const compile_result c = compile_text(rule_with("    when during 6 months after inauguration until term_end\n"));
        CHECK(codes(c.diags) == std::vector<std::string>{"E0210"});
    }
    SECTION("a number needs months or days") {
        const compile_result c = compile_text(rule_with("    when during 6 after inauguration\n"));
        REQUIRE(codes(c.diags) == std::vector<std::string>{"E0101"});
        CHECK(c.diags.items[0].expected.empty());
        CHECK(c.diags.items[0].message.en.find("'months' or 'days'") != std::string::npos);
    }
}

TEST_CASE("an election opens the window of UU 10/2016 Pasal 71 ayat (2)", "[calendar][engine]") {
    engine eng(shipped(), {d("2018-12-31")});
    rejection why;
    REQUIRE(eng.add(decoded(election_2018), why));
    REQUIRE(eng.add(decoded(transfer_iii), why));
    CHECK(finding_rules(eng.finish()) == std::vector<std::string>{"pilkada_pasal_71"});
}

TEST_CASE("a calendar record after the changes its window governs is refused (R0121)", "[calendar][engine]") {
    engine eng(shipped(), {d("2018-12-31")});
    rejection why;
    REQUIRE(eng.add(decoded(transfer_iii), why));
    CHECK_FALSE(eng.add(decoded(election_2018), why));
    CHECK(why.code == "R0121");
    CHECK(why.field == "date");
    CHECK(why.reason.en.find("from 2017-08-12") != std::string::npos);
    CHECK(why.reason.en.find("up to 2017-09-01") != std::string::npos);
    // nothing was judged against the refused window
    CHECK(eng.finish().findings.empty());
}

TEST_CASE("a caretaker's period ends when a new head is inaugurated", "[calendar][engine]") {
    engine eng(shipped(), {d("2023-12-31")});
    rejection why;
    REQUIRE(eng.add(decoded(R"({"id":"c1","kind":"caretaker","date":"2022-05-22","region":"73.73"})"), why));
    REQUIRE(eng.add(decoded(R"({"id":"h1","kind":"head_inaugurated","date":"2023-01-10","region":"73.73"})"), why));
    const region_calendar& c = eng.calendar("73.73");
    REQUIRE(c.caretakers.size() == 1);
    CHECK(c.caretakers[0].until == d("2023-01-09"));
    CHECK(c.inaugurations == std::vector<date>{d("2023-01-10")});
    CHECK(eng.calendar("74.71").caretakers.empty());
}

TEST_CASE("calendar records are validated by the reader", "[calendar][events]") {
    rejection why;
    CHECK_FALSE(decode_event(nlohmann::json::parse(R"({"id":"e","kind":"election","date":"2017-06-01","region":"73.73","candidates":"2018-02-12"})"),
                             shipped(), why));
    CHECK(why.code == "R0104");
    CHECK(why.field == "term_end");
    CHECK_FALSE(decode_event(
        nlohmann::json::parse(R"({"id":"e","kind":"election","date":"2017-06-01","region":"73.73","candidates":"2018-02-12","term_end":"2018-01-01"})"),
        shipped(), why));
    CHECK(why.code == "R0107");
    CHECK_FALSE(decode_event(
        nlohmann::json::parse(R"({"id":"c","kind":"caretaker","date":"2022-05-22","region":"73.73","until":"2022-05-01"})"),
        shipped(), why));
    CHECK(why.code == "R0107");
    CHECK(why.field == "until");
}
