// patuh rules: the table agrees with the rules the engine applies.

#include "common/support.hpp"
#include "golden.hpp"
#include "rules_text.hpp"
#include "shipped.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <iterator>
#include <sstream>

#include <nlohmann/json.hpp>
#include <patuh/rules_table.hpp>

using namespace patuh;
using patuh::testing::shipped;

TEST_CASE("the table on a date lists each rank once per route, with all actions merged", "[rules-table]") {
    const rule_set& r = shipped();
    const auto rows = rules_table(r, *date::parse("2017-08-11"));
    // ranks II, III, IV × (province route, regency/city route) × (Permendagri 76/2015,
    // and the windows of UU 10/2016 Pasal 71 and 162 and PP 49/2008 Pasal 132A)
    REQUIRE(rows.size() == 24);
    for (const table_row& row : rows) {
        // the rules of Permendagri 76/2015 govern every action; the windows all but acting appointments
        CHECK(row.actions.size() == (r.rules.at(row.rule).window ? action_count - 1 : action_count));
        CHECK(row.via != nullptr);
        CHECK(row.unit == r.find_unit("disdukcapil"));
    }
    std::vector<table_row> kadis;
    std::copy_if(rows.begin(), rows.end(), std::back_inserter(kadis),
                 [&](const table_row& row) { return r.rules.at(row.rule).id == "kadis"; });
    REQUIRE(kadis.size() == 2);
    CHECK(r.rules.at(rows[0].rule).id == "kadis");
    CHECK(kadis[0].levels == std::vector<index_t>{r.find_level("provinsi")});
    CHECK(kadis[1].levels == std::vector<index_t>{r.find_level("kabupaten"), r.find_level("kota")});
    const nlohmann::json k = render_table_json(kadis, r, *date::parse("2017-08-11"), lang::en);
    CHECK(k["rows"][1]["route"] == nlohmann::json::array({"kepala_daerah", "gubernur", "dirjen", "menteri"}));
    CHECK(k["rows"][1]["authority"] == "menteri");
    CHECK(k["rows"][1]["window"] == nullptr);
    const nlohmann::json j = render_table_json(rows, r, *date::parse("2017-08-11"), lang::en);
    const auto windowed = std::find_if(j["rows"].begin(), j["rows"].end(),
                                       [](const nlohmann::json& x) { return x["rule_id"] == "pilkada_pasal_71"; });
    REQUIRE(windowed != j["rows"].end());
    CHECK((*windowed)["window"] == "within 6 months before the determination of the candidates until the end of the term");
    const auto eselon_iv = std::find_if(j["rows"].begin(), j["rows"].end(),
                                        [](const nlohmann::json& x) { return x["rule_id"] == "eselon_iv"; });
    REQUIRE(eselon_iv != j["rows"].end());
    CHECK((*eselon_iv)["authority"] == "direktur");
    CHECK((*eselon_iv)["or_higher"] == true);
}

TEST_CASE("the table is empty before the regulation takes force", "[rules-table]") {
    CHECK(rules_table(shipped(), *date::parse("2015-11-30")).empty());
    CHECK_FALSE(rules_table(shipped(), *date::parse("2015-12-01")).empty());
}

TEST_CASE("Markdown text escapes markup, a leading list marker and autolinks, an id becomes a code span", "[markdown]") {
    CHECK(markdown_text("") == "");
    CHECK(markdown_text("Kepala Dinas (eselon II), 73.73") == "Kepala Dinas (eselon II), 73.73");
    CHECK(markdown_text(R"(\`*_[]<>&|#~$)") == R"(\\\`\*\_\[\]\<\>\&\|\#\~\$)");
    CHECK(markdown_text("a\nb\tc\x1b") == "a\\nb\\tc\\u001B");
    // A list marker only where it starts the text and a space or tab follows.
    CHECK(markdown_text("- Budi") == "\\- Budi");
    CHECK(markdown_text("+\tBudi") == "\\+\\tBudi");
    CHECK(markdown_text("12. Budi") == "12\\. Budi");
    CHECK(markdown_text("123456789) Budi") == "123456789\\) Budi");
    CHECK(markdown_text("1234567890. Budi") == "1234567890. Budi");
    for (const char* plain : {"-", "-Budi", "Budi - Ani", "12.5 Budi", "3.", "x. Budi", "-1. Budi"}) {
        INFO(plain);
        CHECK(markdown_text(plain) == plain);
    }
    // GFM's extended autolinks: "www.", "scheme://" and an email address become no link.
    CHECK(markdown_text("www.example.org") == "www\\.example.org");
    CHECK(markdown_text("lihat WWW.Example.org") == "lihat WWW\\.Example.org");
    CHECK(markdown_text("https://example.org/a b") == "https\\://example.org/a b");
    CHECK(markdown_text("ftp://x.y") == "ftp\\://x.y");
    CHECK(markdown_text("budi@example.org") == "budi<!-- -->@example.org");
    CHECK(markdown_text("mailto:budi@x.id") == "mailto:budi<!-- -->@x.id");
    for (const char* plain : {"www", "awww", "Seksi 3: Data", "a:/b", "23.59", "w.w.w."}) {
        INFO(plain);
        CHECK(markdown_text(plain) == plain);
    }
    CHECK(markdown_code("kepala_dinas") == "`kepala_dinas`");
    CHECK(markdown_code("a`b") == "``a`b``");
    CHECK(markdown_code("`a") == "`` `a ``");
    CHECK(markdown_code("a``b`") == "``` a``b` ```");
    CHECK(markdown_code("a\nb") == "`a\\nb`");
}

TEST_CASE("the Markdown table shows rule text that looks like Markdown or HTML as written", "[rules-table][golden]") {
    const compile_result c = testing::compile_text(testing::markup_rules);
    REQUIRE(c.rules);
    const auto rows = rules_table(*c.rules, *date::parse("2017-08-11"));
    REQUIRE(rows.size() == 1);
    const std::string md = render_table_markdown(rows, *c.rules, *date::parse("2017-08-11"), lang::en);
    // Every line is the page's own markup around escaped text: no tag, link,
    // emphasis or list from the rules.
    std::istringstream lines(md);
    for (std::string line; std::getline(lines, line);) {
        INFO(line);
        for (const char* raw : {"<b>", "<i>", "*Sulawesi*", "**Dinas**", "[Palopo]", "~~", "$x$", "1. Dinas", " | Selatan"})
            CHECK(line.find(raw) == std::string::npos);
    }
    CHECK(md.find("`kepala_dinas` (Permendagri \\<i\\>76\\</i\\>/2015 \\\\ lama)") != std::string::npos);
    CHECK(md.find("## 1\\. Dinas \\~\\~Kependudukan\\~\\~ \\& Catatan Sipil\n") != std::string::npos);
    testing::check_golden("rules-table/markup.en.md", md);
    testing::check_golden("rules-table/markup.id.md", render_table_markdown(rows, *c.rules, *date::parse("2017-08-11"), lang::id));
}
