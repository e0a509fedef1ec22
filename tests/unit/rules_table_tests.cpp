// patuh rules: the table agrees with the rules the engine applies.

#include "shipped.hpp"

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <patuh/rules_table.hpp>

using namespace patuh;
using patuh::testing::shipped;

TEST_CASE("the table on a date lists each rank once per route, with all actions merged", "[rules-table]") {
    const rule_set& r = shipped();
    const auto rows = rules_table(r, *date::parse("2017-08-11"));
    // ranks II, III, IV × (province route, regency/city route)
    REQUIRE(rows.size() == 6);
    for (const table_row& row : rows) {
        CHECK(row.actions.size() == action_count);
        CHECK(row.via != nullptr);
        CHECK(row.unit == r.find_unit("disdukcapil"));
    }
    CHECK(r.rules.at(rows[0].rule).id == "kadis");
    CHECK(rows[0].levels == std::vector<index_t>{r.find_level("provinsi")});
    CHECK(rows[1].levels == std::vector<index_t>{r.find_level("kabupaten"), r.find_level("kota")});
    const nlohmann::json j = render_table_json(rows, r, *date::parse("2017-08-11"), lang::en);
    CHECK(j["rows"][1]["route"] == nlohmann::json::array({"kepala_daerah", "gubernur", "dirjen", "menteri"}));
    CHECK(j["rows"][1]["authority"] == "menteri");
    CHECK(j["rows"][5]["authority"] == "direktur");
    CHECK(j["rows"][5]["or_higher"] == true);
}

TEST_CASE("the table is empty before the regulation takes force", "[rules-table]") {
    CHECK(rules_table(shipped(), *date::parse("2015-11-30")).empty());
    CHECK_FALSE(rules_table(shipped(), *date::parse("2015-12-01")).empty());
}
