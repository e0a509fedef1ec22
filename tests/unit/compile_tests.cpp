// Semantic checks of rule sets: names, duplicates, cycles, periods, and the
// compiled rule set that the engine queries.

#include "golden.hpp"

#include <patuh/analysis.hpp>
#include <patuh/parse.hpp>
#include <patuh/rule_set.hpp>

#include <algorithm>

using namespace patuh;
using patuh::testing::check_golden;

namespace {

compile_result compile_text(const std::string& text) {
    loaded_rules l;
    const std::uint32_t i = l.sources.add("set.patuh", text);
    l.files.push_back(parse_file(l.sources, i, l.diags));
    return compile(std::move(l));
}

std::vector<std::string> codes(const diagnostic_list& d) {
    std::vector<std::string> out;
    for (const diagnostic& x : d.items) out.emplace_back(info(x.code).id);
    return out;
}

const char* const vocabulary = R"(authority menteri "Menteri Dalam Negeri"
authority dirjen "Dirjen" under menteri
authority direktur "Direktur" under dirjen
authority gubernur "Gubernur"
rank II "Eselon II" aliases "II.a" "II.b"
rank III "Eselon III" aliases "III.a" "III.b"
unit disdukcapil "Dinas" aliases "Dukcapil"
level provinsi "Provinsi" codes "PP"
level kabupaten "Kabupaten" codes "PP.01-69"
level kota "Kota" codes "PP.71-99"
service ktp_el "KTP-el"
)";

const char* const complete_rule = R"(
    severity high
    cite "UU 24/2013 Pasal 83A"
    message id "x"
    message en "x"
)";

}  // namespace

TEST_CASE("the shipped rule set compiles without errors or warnings", "[compile]") {
    const compile_result c = compile(load_embedded_rules());
    INFO(render_text(c.diags, c.sources(), lang::en, false));
    REQUIRE(c.rules);
    CHECK(c.diags.items.empty());
    const rule_set& r = *c.rules;
    CHECK(r.find_rank("II.b") == r.find_rank("II"));
    CHECK(r.find_rank("eselon iii.a") == r.find_rank("III"));
    CHECK(r.find_authority("Mendagri") == r.find_authority("menteri"));
    CHECK(r.find_unit("Dinas Dukcapil") == r.find_unit("disdukcapil"));
    CHECK(r.find_rank("V") == no_index);
    CHECK(r.level_of_region("73") == r.find_level("provinsi"));
    CHECK(r.level_of_region("73.73") == r.find_level("kota"));
    CHECK(r.level_of_region("74.05") == r.find_level("kabupaten"));
    CHECK(r.level_of_region("74.70") == no_index);
    // an approval by the Minister satisfies a Director General's rule only with "or higher"
    CHECK(r.satisfies(r.find_authority("menteri"), r.find_authority("dirjen"), true));
    CHECK_FALSE(r.satisfies(r.find_authority("menteri"), r.find_authority("dirjen"), false));
    CHECK_FALSE(r.satisfies(r.find_authority("direktur"), r.find_authority("dirjen"), true));
}

TEST_CASE("the shipped rules answer which rule judges which change", "[compile]") {
    const compile_result c = compile(load_embedded_rules());
    REQUIRE(c.rules);
    const rule_set& r = *c.rules;
    match_query q;
    q.on = *date::parse("2017-08-11");
    q.rank = r.find_rank("II");
    q.act = action::appoint;
    q.level = r.find_level("kota");
    q.unit = r.find_unit("disdukcapil");
    q.position = normalise_position("Kepala Dinas");
    const auto found = r.applicable(q);
    REQUIRE(found.size() == 1);
    CHECK(r.rules[found[0]].id == "kadis");
    q.on = *date::parse("2015-11-30");  // before the regulation
    CHECK(r.applicable(q).empty());
}

TEST_CASE("unknown names are reported with a suggestion", "[compile][golden]") {
    const compile_result c = compile_text(std::string(vocabulary) + R"(
policy p "P" {
  rule r "R" {
    when rank II, IIII
    when action apoint
    when level kotamadya
    requires mentri
    route gubernor, dirjen
    exempt deaht
    severity hihg
    cite "x"
    message id "x"
    message en "x"
  }
}
)");
    CHECK_FALSE(c.rules);
    CHECK(codes(c.diags) == std::vector<std::string>(7, "E0201"));
    std::vector<std::string> suggestions;
    for (const diagnostic& d : c.diags.items) suggestions.push_back(d.suggestion);
    CHECK(suggestions == std::vector<std::string>{"III", "appoint", "kota", "menteri", "gubernur", "death", "high"});
    check_golden("diagnostics/unknown_names.en.txt", render_text(c.diags, c.sources(), lang::en, false));
    check_golden("diagnostics/unknown_names.id.txt", render_text(c.diags, c.sources(), lang::id, false));
}

TEST_CASE("duplicates, authority cycles and overlapping periods", "[compile][golden]") {
    const compile_result c = compile_text(std::string(R"(authority a "A" under c
authority b "B" under a
authority c "C" under b
rank II "Eselon II" aliases "II.a"
rank II "Again"
rank III "Eselon III" aliases "II.a"
policy old "Old" {
  in force from 2015-12-01 until 2021-12-30
  rule kadis "Kadis" {
    requires a)") + complete_rule + R"(  }
}
policy new "New" {
  in force from 2021-12-01
  rule kadis "Kadis" {
    requires b)" + complete_rule + R"(  }
}
)");
    CHECK_FALSE(c.rules);
    const auto found = codes(c.diags);
    CHECK(std::count(found.begin(), found.end(), "E0202") == 1);  // rank II twice
    CHECK(std::count(found.begin(), found.end(), "E0209") == 1);  // alias II.a on two ranks
    CHECK(std::count(found.begin(), found.end(), "E0204") == 1);  // a → c → b → a
    CHECK(std::count(found.begin(), found.end(), "E0203") == 1);  // kadis in force twice in December 2021
    check_golden("diagnostics/duplicates_cycles_overlaps.en.txt", render_text(c.diags, c.sources(), lang::en, false));
}

TEST_CASE("structure of rules: requirement, periods, level codes, warnings", "[compile][golden]") {
    const compile_result c = compile_text(std::string(vocabulary) + R"(level desa "Desa" codes "PP.KK.DD"
policy p "P" {
  in force from 2020-01-01 until 2019-01-01
  rule none "Nothing required" {
    when rank II
  }
  rule both "Two demands" {
    requires menteri
    allowed
  }
  rule twice "Severity twice" {
    requires menteri
    severity high
    severity low
  }
  rule bare "No citation, no message, no severity" {
    requires dirjen
  }
}
)");
    CHECK_FALSE(c.rules);
    const auto found = codes(c.diags);
    for (const char* code : {"E0208", "E0205", "E0207", "E0210", "E0206", "W0301", "W0302", "W0303"}) {
        INFO(code);
        CHECK(std::count(found.begin(), found.end(), code) >= 1);
    }
    check_golden("diagnostics/rule_structure.en.txt", render_text(c.diags, c.sources(), lang::en, false));
}

TEST_CASE("a rule set with only warnings compiles", "[compile]") {
    const compile_result c = compile_text(std::string(vocabulary) + R"(policy p "P" {
  in force from 2015-12-01
  rule kadis "Kadis" {
    when rank II
    requires menteri
  }
}
)");
    REQUIRE(c.rules);
    CHECK_FALSE(c.diags.has_errors());
    CHECK(c.diags.warning_count() == 3);
}

TEST_CASE("every diagnostic code is documented in docs/diagnostics.md", "[compile][docs]") {
    const std::string doc = patuh::testing::read_text(std::string(PATUH_SOURCE_DIR) + "/docs/diagnostics.md");
    REQUIRE_FALSE(doc.empty());
    for (const diag_info& i : diag_table) {
        INFO(i.id);
        CHECK(doc.find("| " + std::string(i.id) + " |") != std::string::npos);
    }
}

TEST_CASE("analysis finds the planted gap, overlap, shadowed rule and unused names", "[compile][analysis]") {
    compile_result c = compile(load_rules({std::string(PATUH_SOURCE_DIR) + "/examples/rule-analysis/planted.patuh"}));
    REQUIRE(c.rules);
    diagnostic_list found;
    analyse(*c.rules, found);
    const auto list = codes(found);
    CHECK(std::count(list.begin(), list.end(), "W0401") == 1);
    CHECK(std::count(list.begin(), list.end(), "W0402") == 1);
    CHECK(std::count(list.begin(), list.end(), "W0403") == 1);
    CHECK(std::count(list.begin(), list.end(), "W0404") == 2);
    CHECK(found.error_count() == 0);

    compile_result shipped = compile(load_embedded_rules());
    REQUIRE(shipped.rules);
    diagnostic_list none;
    analyse(*shipped.rules, none);
    INFO(render_text(none, shipped.rules->sources, lang::en, false));
    CHECK(none.items.empty());
}
