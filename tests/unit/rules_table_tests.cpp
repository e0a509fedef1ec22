// patuh rules: the table agrees with the rules the engine applies.

#include "shipped.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <iterator>

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
