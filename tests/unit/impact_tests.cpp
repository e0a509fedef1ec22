// patuh impact: pairing the findings of two audits of one log, and the
// regions and rejected records that differ.

#include "audit_run.hpp"
#include "csv_rows.hpp"
#include "golden.hpp"
#include "rules_text.hpp"

#include <catch2/catch.hpp>

#include <patuh/impact.hpp>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <sstream>

using namespace patuh;

namespace {

// A rule set of two ranks (and, with `with_rank_iv`, a third); `rules` is
// the body of its one policy.
rule_set rules_with(const std::string& rules, bool with_rank_iv = false) {
    std::string text = R"(authority direktur "Direktur"
authority menteri "Menteri"
rank II "Eselon II"
rank III "Eselon III"
unit disdukcapil "Dinas"
level kota "Kota" codes "PP.71-99"
)";
    if (with_rank_iv) text += "rank IV \"Eselon IV\"\n";
    text += "policy p \"P\" {\n  in force from 2015-12-01\n  cite \"P 1/2015\"\n" + rules + "}\n";
    compile_result c = patuh::testing::compile_text(text);
    INFO(text);
    REQUIRE(c.rules);
    return std::move(*c.rules);
}

std::string requirement(const char* id, const char* rank, const char* authority, const char* sev) {
    return fmt::format(R"(  rule {} "{}" {{
    when rank {}
    requires {} on or before effective date
    severity {}
    message id "x"
    message en "x"
  }}
)",
                       id, id, rank, authority, sev);
}

std::string change(const char* id, const char* on, const char* position, const char* rank, const char* nip,
                   const char* region = "73.73") {
    return fmt::format(R"({{"id":"{}","kind":"appoint","date":"{}","region":"{}","unit":"disdukcapil",)"
                       R"("position":"{}","rank":"{}","person":{{"nip":"{}","name":"N {}"}}}})"
                       "\n",
                       id, on, region, position, rank, nip, id);
}

constexpr const char* nip_a = "196504121990031007";
constexpr const char* nip_b = "197002151995031002";
constexpr const char* nip_c = "197506062000031001";

std::string log_of_three() {
    return change("e1", "2017-01-02", "Kepala Dinas", "II", nip_a) +
           change("e2", "2017-02-01", "Sekretaris", "III", nip_b, "73.72") +
           change("e3", "2017-03-01", "Kepala Dinas", "II", nip_c, "73.71");
}

struct compared {
    audit_report in_force;
    audit_report draft;
    impact found;
};

compared compare(const std::string& log, const rule_set& a, const rule_set& b) {
    compared out{patuh::testing::audit_inputs({{"log.jsonl", log}}, {}, a),
                 patuh::testing::audit_inputs({{"log.jsonl", log}}, {}, b), {}};
    out.found = compare_audits(out.in_force, a, out.draft, b);
    return out;
}

std::string text_of(const compared& c, const rule_set& a, const rule_set& b, lang l = lang::en) {
    std::ostringstream os;
    write_impact_text(os, c.found, {c.in_force, a, {"in-force"}}, {c.draft, b, {"draft"}}, {l, false});
    return os.str();
}

}  // namespace

TEST_CASE("impact: the same rules change nothing") {
    const rule_set a = rules_with(requirement("kadis", "II", "menteri", "high"));
    const compared c = compare(log_of_three(), a, a);
    CHECK_FALSE(c.found.any());
    CHECK(c.found.same == 2);
    CHECK(text_of(c, a, a).find("The draft changes nothing in this log.") != std::string::npos);
}

TEST_CASE("impact: findings new, gone and changed, and the regions they move") {
    const rule_set a = rules_with(requirement("kadis", "II", "menteri", "high"));
    // The draft: heads need only a Director, rank III needs the Minister.
    const rule_set b =
        rules_with(requirement("kadis", "II", "direktur", "critical") + requirement("sekretaris", "III", "menteri", "low"));
    const compared c = compare(log_of_three(), a, b);
    REQUIRE(c.in_force.result.findings.size() == 2);
    REQUIRE(c.draft.result.findings.size() == 3);
    REQUIRE(c.found.added.size() == 1);
    CHECK(c.draft.result.findings[c.found.added[0]].event_id == "e2");
    CHECK(c.found.removed.empty());
    REQUIRE(c.found.changed.size() == 2);
    for (const changed_finding& x : c.found.changed) {
        CHECK(c.in_force.result.findings[x.in_force].event_id == c.draft.result.findings[x.draft].event_id);
        CHECK(x.has(finding_difference::severity));
        CHECK(x.has(finding_difference::required));
        CHECK(x.has(finding_difference::remedy));
        CHECK_FALSE(x.has(finding_difference::rule));
        CHECK_FALSE(x.has(finding_difference::opened));
        CHECK_FALSE(x.has(finding_difference::closed));
    }
    CHECK(c.found.same == 0);
    // Two regions' worst open finding goes from high to critical; the
    // third has its first open finding (a region with findings only in the draft).
    REQUIRE(c.found.regions.size() == 3);
    CHECK(c.found.regions[2].draft->code == "73.72");
    CHECK(c.found.regions[2].in_force->open_findings == 0);
    CHECK(c.found.regions[2].draft->open_findings == 1);
    const std::string text = text_of(c, a, b);
    CHECK(text.find("Findings: 2 with the rules in force, 3 with the draft: 1 new, 0 gone, 2 changed, 0 the same.") !=
          std::string::npos);
    CHECK(text.find("Severity: HIGH → CRITICAL") != std::string::npos);
    CHECK(text.find("worst open finding HIGH → CRITICAL") != std::string::npos);
    CHECK(text.find("Rules in force: in-force\nDraft: draft\n") != std::string::npos);
    // By rule: the two changed first (most), then the new one.
    REQUIRE(c.found.by_rule.size() == 2);
    CHECK(c.found.by_rule[0].in_force == "kadis");
    CHECK(c.found.by_rule[0].draft == "kadis");
    CHECK(c.found.by_rule[0].count == 2);
    CHECK(c.found.by_rule[1].in_force.empty());
    CHECK(c.found.by_rule[1].draft == "sekretaris");
    CHECK(text.find("By rule:\n   kadis: 2 changed\n   sekretaris: 1 new\n") != std::string::npos);
}

TEST_CASE("impact: a finding the draft no longer makes is gone") {
    const rule_set a = rules_with(requirement("kadis", "II", "menteri", "high") +
                                  requirement("sekretaris", "III", "menteri", "medium"));
    const rule_set b = rules_with(requirement("kadis", "II", "menteri", "high"));
    const compared c = compare(log_of_three(), a, b);
    REQUIRE(c.found.removed.size() == 1);
    CHECK(c.in_force.result.findings[c.found.removed[0]].event_id == "e2");
    CHECK(c.found.added.empty());
    CHECK(c.found.changed.empty());
    CHECK(c.found.same == 2);
    const std::string id = text_of(c, a, b, lang::id);
    CHECK(id.find("Hilang dengan rancangan (1)") != std::string::npos);
    CHECK(id.find("Peristiwa e2 (pengangkatan), log.jsonl:2") != std::string::npos);
    CHECK(id.find("   73.72 (Kota): tidak ada risiko terbuka; temuan terbuka 1 → 0\n") != std::string::npos);
}

TEST_CASE("impact: findings of one change pair by rule id before their order") {
    // Two rules judge a head's change; the draft keeps only the second.
    const std::string first = requirement("kadis_lama", "II", "menteri", "high");
    const std::string second = requirement("kadis", "II", "direktur", "medium");
    const rule_set a = rules_with(first + second);
    const rule_set b = rules_with(second);
    const std::string log = change("e1", "2017-01-02", "Kepala Dinas", "II", nip_a);
    const compared c = compare(log, a, b);
    REQUIRE(c.in_force.result.findings.size() == 2);
    REQUIRE(c.draft.result.findings.size() == 1);
    CHECK(c.found.same == 1);
    REQUIRE(c.found.removed.size() == 1);
    const finding gone = c.in_force.result.findings[c.found.removed[0]];
    CHECK(a.rules.at(gone.rule).id == "kadis_lama");
    CHECK(c.found.changed.empty());
    REQUIRE(c.found.by_rule.size() == 1);
    CHECK(c.found.by_rule[0].in_force == "kadis_lama");
    CHECK(c.found.by_rule[0].draft.empty());
    CHECK(c.found.by_rule[0].count == 1);
}

TEST_CASE("impact: a rule renamed is a changed finding") {
    const rule_set a = rules_with(requirement("kadis", "II", "menteri", "high"));
    const rule_set b = rules_with(requirement("kepala_dinas", "II", "menteri", "high"));
    const compared c = compare(change("e1", "2017-01-02", "Kepala Dinas", "II", nip_a), a, b);
    REQUIRE(c.found.changed.size() == 1);
    CHECK(c.found.changed[0].differs == static_cast<std::uint8_t>(finding_difference::rule));
    CHECK(text_of(c, a, b).find("   kadis → kepala_dinas: 1 changed\n") != std::string::npos);
    CHECK(text_of(c, a, b, lang::id).find("   kadis → kepala_dinas: 1 berubah\n") != std::string::npos);
    CHECK(c.found.regions.empty());
}

TEST_CASE("impact: a finding closed by a late approval under one rule set only has changed its closing") {
    // The Minister approves the head three months late: that closes the
    // finding of the rules in force; the draft asks a Director instead.
    const rule_set a = rules_with(requirement("kadis", "II", "menteri", "high"));
    const rule_set b = rules_with(requirement("kadis", "II", "direktur", "high"));
    const std::string log =
        change("e1", "2017-01-02", "Kepala Dinas", "II", nip_a) +
        fmt::format(R"({{"id":"e2","kind":"approve","date":"2017-04-03","region":"73.73","unit":"disdukcapil",)"
                    R"("position":"Kepala Dinas","rank":"II","person":{{"nip":"{}","name":"N e1"}},)"
                    R"("approvals":[{{"authority":"menteri","date":"2017-04-03","nip":"{}"}}]}})"
                    "\n",
                    nip_a, nip_a);
    const compared c = compare(log, a, b);
    REQUIRE(c.found.changed.size() == 1);
    const changed_finding& x = c.found.changed[0];
    CHECK(x.has(finding_difference::closed));
    CHECK(x.has(finding_difference::required));
    CHECK(x.has(finding_difference::remedy));
    CHECK_FALSE(x.has(finding_difference::opened));
    CHECK(c.in_force.result.findings[x.in_force].closed == date::parse("2017-04-03"));
    CHECK_FALSE(c.draft.result.findings[x.draft].closed);
    const std::string text = text_of(c, a, b);
    CHECK(text.find("      Closed: 2017-04-03, by e2: the central approval arrived → still open\n") != std::string::npos);
    // The region had no open finding; with the draft it has one.
    REQUIRE(c.found.regions.size() == 1);
    CHECK(c.found.regions[0].in_force->open_findings == 0);
    CHECK(c.found.regions[0].draft->open_findings == 1);
}

TEST_CASE("impact: a record rejected by one rule set only is listed") {
    // Rank IV is known to the draft only: its record is rejected by the rules in force.
    const std::string log = change("e1", "2017-01-02", "Kepala Dinas", "II", nip_a) +
                            change("e2", "2017-02-01", "Kepala Seksi", "IV", nip_b);
    const rule_set a = rules_with(requirement("kadis", "II", "menteri", "high"));
    const rule_set b = rules_with(requirement("kadis", "II", "menteri", "high"), true);
    const compared c = compare(log, a, b);
    REQUIRE(c.in_force.rejected_count == 1);
    REQUIRE(c.draft.rejected_count == 0);
    REQUIRE(c.found.rejections.size() == 1);
    CHECK(c.found.rejections[0].in_force == std::optional<std::size_t>(0));
    CHECK_FALSE(c.found.rejections[0].draft);
    const std::string code = c.in_force.rejected[0].code;
    const std::string text = text_of(c, a, b);
    CHECK(text.find("Records rejected differently (1)") != std::string::npos);
    CHECK(text.find(fmt::format("   log.jsonl:2: with the rules in force {} ", code)) != std::string::npos);
    CHECK(text.find("; with the draft accepted\n") != std::string::npos);
    // The other way round, the draft rejects it.
    const compared back = compare(log, b, a);
    REQUIRE(back.found.rejections.size() == 1);
    CHECK_FALSE(back.found.rejections[0].in_force);
    CHECK(back.found.rejections[0].draft == std::optional<std::size_t>(0));
}

TEST_CASE("impact: the JSON report lists what differs and counts it") {
    const rule_set a = rules_with(requirement("kadis", "II", "menteri", "high"));
    const rule_set b =
        rules_with(requirement("kadis", "II", "menteri", "critical") + requirement("sekretaris", "III", "menteri", "low"));
    const compared c = compare(log_of_three(), a, b);
    std::ostringstream os;
    write_impact_json(os, c.found, {c.in_force, a, {}}, {c.draft, b, {"draft.patuh"}}, lang::en);
    const nlohmann::json doc = nlohmann::json::parse(os.str());
    CHECK(doc["schema"] == "patuh-impact/1");
    CHECK(doc["rules"]["in_force"].is_null());
    CHECK(doc["rules"]["draft"] == nlohmann::json::array({"draft.patuh"}));
    CHECK(doc["summary"]["new"] == 1);
    CHECK(doc["summary"]["changed"] == 2);
    CHECK(doc["summary"]["same"] == 0);
    CHECK(doc["summary"]["in_force"]["findings"] == 2);
    CHECK(doc["summary"]["draft"]["findings"] == 3);
    REQUIRE(doc["new"].size() == 1);
    CHECK(doc["new"][0]["event_id"] == "e2");
    CHECK(doc["new"][0]["rule_id"] == "sekretaris");
    REQUIRE(doc["changed"].size() == 2);
    CHECK(doc["changed"][0]["differs"] == nlohmann::json::array({"severity"}));
    CHECK(doc["changed"][0]["in_force"]["severity"] == "high");
    CHECK(doc["changed"][0]["draft"]["severity"] == "critical");
    CHECK(doc["gone"].empty());
    CHECK(doc["by_rule"] == nlohmann::json::parse(
                                R"([{"count": 2, "draft": "kadis", "in_force": "kadis", "status": "changed"},
                                    {"count": 1, "draft": "sekretaris", "in_force": null, "status": "new"}])"));
    CHECK(doc["regions"].size() == 3);
    CHECK(doc["regions"][0]["in_force"]["worst_open_severity"] == "high");
    CHECK(doc["regions"][0]["draft"]["worst_open_severity"] == "critical");
}

TEST_CASE("impact: the CSV report in parts, and the line a row starts on") {
    const rule_set a = rules_with(requirement("kadis", "II", "menteri", "high") +
                                      requirement("sekretaris", "III", "menteri", "medium"),
                                  true);
    const rule_set b =
        rules_with(requirement("kadis", "II", "direktur", "critical") + requirement("kasi", "IV", "menteri", "low"), true);
    // An event id holding a line break: its row takes two lines.
    const std::string log = log_of_three() + change("e4\\nsecond line", "2017-04-01", "Kepala Seksi", "IV", nip_a);
    const compared c = compare(log, a, b);
    REQUIRE(c.found.added.size() == 1);
    REQUIRE(c.found.removed.size() == 1);
    REQUIRE(c.found.changed.size() == 2);
    const std::size_t rows = impact_csv_rows(c.found);
    REQUIRE(rows == 4);
    const impact_side in_force{c.in_force, a, {"in-force"}};
    const impact_side draft{c.draft, b, {"draft"}};
    const auto part = [&](finding_range range, csv_row_place* place = nullptr) {
        std::ostringstream os;
        write_impact_csv(os, c.found, in_force, draft, lang::en, ',', range, place);
        return os.str();
    };
    const std::string whole = part({});
    const patuh::testing::csv_rows found = patuh::testing::rows_of(whole);
    REQUIRE(found.count() == rows);
    REQUIRE(found.line[1] > 3);  // the new finding's row (e4, its holder "N e4...") takes several lines
    const std::string header = whole.substr(0, found.header_end);
    for (std::size_t per_file = 1; per_file <= rows + 1; ++per_file) {
        std::string joined = header;
        for (std::size_t first = 0; first < rows; first += per_file) {
            const std::string file = part({first, per_file});
            REQUIRE(file.rfind(header, 0) == 0);
            CHECK(file.substr(header.size()) == found.rows(whole, first, std::min(rows, first + per_file)));
            joined += file.substr(header.size());
        }
        CHECK(joined == whole);
    }
    for (std::uint64_t row = 1; row <= rows + 1; ++row) {
        csv_row_place place{row, 0};
        CHECK(part({}, &place) == whole);
        CHECK(place.line == (row <= rows ? found.line[row - 1] : 0));
    }
}

TEST_CASE("impact: text from the input is shown with escapes, colour only when asked for") {
    const rule_set a = rules_with(requirement("kadis", "II", "menteri", "high"));
    const rule_set b = rules_with(requirement("kadis", "II", "menteri", "critical"));
    const std::string log = change("e\\u001b[2J1", "2017-01-02", "Kepala\\u001b[31m Dinas", "II", nip_a);
    const compared c = compare(log, a, b);
    REQUIRE(c.found.changed.size() == 1);
    for (const lang l : {lang::en, lang::id}) {
        for (const bool color : {false, true}) {
            std::ostringstream os;
            write_impact_text(os, c.found, {c.in_force, a, {"in\x1b[1mforce"}}, {c.draft, b, {}}, {l, color});
            const std::string text = os.str();
            patuh::testing::check_no_control_characters_but_colours(text);
            CHECK(text.find("Kepala\\u001B[31m Dinas") != std::string::npos);
            CHECK(text.find(" e\\u001B[2J1 ") != std::string::npos);
            CHECK(text.find("in\\u001B[1mforce") != std::string::npos);
            CHECK((text.find("\x1b[1;31m") != std::string::npos) == color);
        }
    }
}
