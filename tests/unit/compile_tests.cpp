// Semantic checks of rule sets: names, duplicates, cycles, periods, and the
// compiled rule set that the engine queries.

#include "golden.hpp"
#include "rules_text.hpp"

#include <patuh/analysis.hpp>
#include <patuh/parse.hpp>
#include <patuh/rule_set.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <tuple>

using namespace patuh;
using patuh::testing::codes;
using patuh::testing::compile_text;
using patuh::testing::check_golden;

namespace {

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
    const region_calendar no_facts;  // no election, inauguration or caretaker
    q.calendar = &no_facts;
    const auto found = r.applicable(q);
    REQUIRE(found.size() == 1);
    CHECK(r.rules[found[0]].id == "kadis");
    q.on = *date::parse("2015-11-30");  // before the regulation
    CHECK(r.applicable(q).empty());
    // a caretaker mayor: PP 49/2008 Pasal 132A judges too, on its own
    region_calendar caretaker;
    caretaker.caretakers.push_back({*date::parse("2017-06-01"), date::max()});
    q.calendar = &caretaker;
    q.on = *date::parse("2017-08-11");
    const auto with_caretaker = r.applicable(q);
    REQUIRE(with_caretaker.size() == 2);
    CHECK(r.rules[with_caretaker[1]].id == "pj_pasal_132a");
    // 60/2021 from 2021-12-31, and the head moratorium of 2022
    q.calendar = &no_facts;
    q.on = *date::parse("2021-12-30");
    CHECK(r.rules[r.applicable(q).at(0)].id == "kadis");
    q.on = *date::parse("2021-12-31");
    CHECK(r.rules[r.applicable(q).at(0)].id == "jpt_pratama");
    q.on = *date::parse("2022-04-07");
    std::vector<std::string> ids;
    for (const std::uint32_t i : r.applicable(q)) ids.push_back(r.rules[i].id);
    std::sort(ids.begin(), ids.end());
    CHECK(ids == std::vector<std::string>{"jpt_pratama", "moratorium_kadis_2022"});
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

TEST_CASE("a check looks at posts: a condition on a change is an error at its place, a position narrows it",
          "[compile][golden]") {
    const compile_result c = compile_text(std::string(vocabulary) + R"(policy p "P" {
  in force from 2015-12-01
  cite "x"
  rule kekosongan "Vacancy" {
    check vacancy
    when action dismiss
    when reason death
    when vacant
  }
  rule rangkap "Two posts" {
    check double_post
    when position "Kepala Dinas"
  }
}
)");
    CHECK_FALSE(c.rules);
    std::vector<std::string> places;
    for (const diagnostic& d : c.diags.items)
        if (d.code == diag_code::conflicting_statements)
            places.push_back(c.sources().where(d.where));
    CHECK(places == std::vector<std::string>{"set.patuh:17:5", "set.patuh:18:5", "set.patuh:19:5"});
    check_golden("diagnostics/check_conditions.en.txt", render_text(c.diags, c.sources(), lang::en, false));
    check_golden("diagnostics/check_conditions.id.txt", render_text(c.diags, c.sources(), lang::id, false));
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

TEST_CASE("analysis finds the planted gap, overlap, shadowed rule, unused names, dead period and exemption",
          "[compile][analysis]") {
    compile_result c = compile(load_rules({std::string(PATUH_SOURCE_DIR) + "/examples/rule-analysis/planted.patuh"}));
    REQUIRE(c.rules);
    diagnostic_list found;
    analyse(*c.rules, found);
    const auto list = codes(found);
    CHECK(std::count(list.begin(), list.end(), "W0401") == 1);
    CHECK(std::count(list.begin(), list.end(), "W0402") == 1);
    CHECK(std::count(list.begin(), list.end(), "W0403") == 1);
    CHECK(std::count(list.begin(), list.end(), "W0404") == 2);
    CHECK(std::count(list.begin(), list.end(), "W0405") == 1);
    CHECK(std::count(list.begin(), list.end(), "W0406") == 1);
    CHECK(found.error_count() == 0);

    compile_result shipped = compile(load_embedded_rules());
    REQUIRE(shipped.rules);
    diagnostic_list none;
    analyse(*shipped.rules, none);
    INFO(render_text(none, shipped.rules->sources, lang::en, false));
    CHECK(none.items.empty());
}

namespace {

// One warning of the whole-rule-set analysis: where it points and what it says.
struct located {
    std::string at;  // "line:column"
    std::string en;
    std::string id;
};

// The vocabulary and the first lines of a policy: the text of a test goes on with its rules (from line 14).
std::string policy_opening(const std::string& id, const std::string& in_force) {
    return std::string(vocabulary) + "policy " + id + " \"P\" {\n  in force " + in_force + "\n  cite \"x\"\n";
}

std::vector<located> analysed(const std::string& text, diag_code code) {
    // The rules carry no severity nor messages: those compile warnings are not looked at.
    const compile_result c = compile_text(text);
    INFO(render_text(c.diags, c.sources(), lang::en, false));
    REQUIRE(c.rules);
    diagnostic_list found;
    analyse(*c.rules, found);
    INFO(render_text(found, c.rules->sources, lang::en, false));
    std::vector<located> out;
    for (const diagnostic& d : found.items) {
        if (d.code != code) continue;
        const line_column lc = c.rules->sources.at(d.where.file).locate(d.where.begin);
        out.push_back({fmt::format("{}:{}", lc.line, lc.column), d.message.en, d.message.id});
    }
    return out;
}

std::vector<std::string> places(const std::vector<located>& found) {
    std::vector<std::string> out;
    for (const located& x : found) out.push_back(x.at);
    return out;
}

std::vector<std::string> english(const std::vector<located>& found) {
    std::vector<std::string> out;
    for (const located& x : found) out.push_back(x.en);
    return out;
}

}  // namespace

TEST_CASE("W0405: a rule or moratorium whose period does not meet its policy's never takes effect",
          "[compile][analysis]") {
    const auto found = analysed(policy_opening("permendagri_76_2015", "from 2015-12-01") + R"(  rule kadis "Kadis" {
    requires menteri
  }
  rule eselon_iv "Eselon IV" {
    when rank III
    in force from 2010-01-01 until 2012-12-31
    requires direktur
  }
  rule sebagian "Partly before the policy: takes effect from 2015-12-01" {
    when rank III
    in force from 2014-01-01 until 2016-12-31
    requires direktur
  }
}
policy lama "Old" {
  in force from 2015-12-01 until 2021-12-30
  cite "x"
  moratorium pilkada_2024 "Pilkada 2024" from 2024-01-01 until 2024-11-27 {
    when rank II
  }
  rule rangkap "Double post" {
    check double_post
    in force from 2022-01-01
  }
}
)",
                                diag_code::ineffective_period);
    REQUIRE(places(found) == std::vector<std::string>{"20:5", "32:47", "37:5"});
    CHECK(
        english(found) ==
        std::vector<std::string>{
            "rule 'eselon_iv' is in force 2010-01-01..2012-12-31 but its policy 'permendagri_76_2015' is in force only "
            "from 2015-12-01; it never judges an event",
            "moratorium 'pilkada_2024' is in force 2024-01-01..2024-11-27 but its policy 'lama' is in force only "
            "2015-12-01..2021-12-30; it never restricts a change",
            "rule 'rangkap' is in force from 2022-01-01 but its policy 'lama' is in force only 2015-12-01..2021-12-30; "
            "it never checks a post",
        });
    CHECK(found[0].id ==
          "aturan 'eselon_iv' berlaku 2010-01-01..2012-12-31 tetapi kebijakannya 'permendagri_76_2015' hanya berlaku "
          "sejak 2015-12-01; aturan ini tidak pernah menilai peristiwa apa pun");
}

TEST_CASE("W0405: a check outranked on every day by an earlier check of its kind", "[compile][analysis]") {
    const auto found = analysed(policy_opening("p", "from 2015-12-01") + R"(  rule kadis "Kadis" {
    requires menteri
  }
  rule kekosongan "Vacancy" {
    check vacancy
  }
  rule kekosongan_2021 "Vacancy again" {
    check vacancy
    in force from 2021-12-31
  }
  rule belum_dilantik "Not installed, until 2020" {
    check not_installed within 30 days
    in force from 2015-12-01 until 2020-12-31
  }
  rule belum_dilantik_2021 "Not installed, from 2021: takes over" {
    check not_installed within 14 days
    in force from 2020-06-01
  }
}
)",
                                diag_code::ineffective_period);
    REQUIRE(places(found) == std::vector<std::string>{"23:5"});
    CHECK(english(found) ==
          std::vector<std::string>{
              "rule 'kekosongan_2021' (check vacancy) is in force from 2021-12-31, but on every one of those days "
              "'kekosongan' (set.patuh:18:8) is consulted instead: of the checks of one kind in force that cover a "
              "post, only the first declared is consulted; it never checks a post",
          });
}

TEST_CASE("W0405: a check narrowed by position is consulted for its posts, a general one for the others",
          "[compile][analysis]") {
    // The head's vacancy first, then every other post's: both take effect. A
    // check for the secretary declared after the general one never does.
    const auto found = analysed(policy_opening("p", "from 2015-12-01") + R"(  rule kadis "Kadis" {
    requires menteri
  }
  rule kekosongan_kadis "Vacant head" {
    check vacancy
    when position "Kepala Dinas"
  }
  rule kekosongan "Vacant post" {
    check vacancy
  }
  rule kekosongan_sekretaris "Vacant secretary" {
    check vacancy
    when position "Sekretaris"
  }
}
)",
                                diag_code::ineffective_period);
    REQUIRE(places(found) == std::vector<std::string>{"25:8"});
    CHECK(english(found) ==
          std::vector<std::string>{
              "rule 'kekosongan_sekretaris' (check vacancy) is in force from 2015-12-01, but on every one of those "
              "days 'kekosongan' (set.patuh:22:8) is consulted instead: of the checks of one kind in force that "
              "cover a post, only the first declared is consulted; it never checks a post",
          });
}

TEST_CASE("W0405 is not reported for periods that take effect, nor twice for a shadowed rule", "[compile][analysis]") {
    const std::string text = policy_opening("p", "from 2015-12-01 until 2021-12-30") + R"(  rule kadis "Kadis" {
    requires menteri
  }
  rule kadis_2016 "Only in 2016, always overridden" {
    in force from 2016-01-01 until 2016-12-31
    when rank II
    requires dirjen
  }
  rule kadis_baru "Overrides kadis_2016" {
    when rank II
    requires menteri or higher
    overrides kadis_2016
  }
  rule ujung "Ends on the policy's last day" {
    when rank III
    in force from 2021-12-30 until 2030-01-01
    requires dirjen
  }
}
)";
    CHECK(analysed(text, diag_code::ineffective_period).empty());
    // kadis_2016 is set aside on every day of its period: that is W0403, once
    CHECK(places(analysed(text, diag_code::rule_shadowed)) == std::vector<std::string>{"18:8"});
}

TEST_CASE("W0406: exemptions that exempt nothing, each with its cause", "[compile][analysis]") {
    const auto found = analysed(policy_opening("p", "from 2022-01-01") + R"(  rule kadis "Kadis" {
    when rank II
    requires menteri
    exempt arrest, death, retirement
  }
  rule kadis_wafat "Death: no approval needed" {
    when rank II
    when reason death
    allowed
    exempt resignation
  }
  rule eselon_iii "Eselon III" {
    when rank III
    requires dirjen
  }
  rule plt "Acting appointments" {
    when rank III
    when action acting, dismiss
    requires dirjen
    exempt definitive
  }
  rule berhenti "Leaving the post" {
    when rank III
    when reason retirement, resignation
    allowed
    exempt retirement
  }
  rule ditahan "Arrest" {
    when rank III
    when reason arrest
    forbidden
    exempt arrest
  }
  rule kekosongan "Vacancy" {
    check vacancy
    exempt death
  }
}
)",
                                diag_code::ineffective_exemption);
    REQUIRE(places(found) == std::vector<std::string>{"18:20", "24:12", "34:12", "40:12", "46:12", "50:12"});
    // kadis: every death of an Eselon II official goes to kadis_wafat, which is more specific
    CHECK(english(found) ==
          std::vector<std::string>{
              "on every change with reason 'death' that rule 'kadis' matches, 'kadis_wafat' (set.patuh:20:8) takes the "
              "case and sets 'kadis' aside, e.g. an Eselon II appointment with reason 'death' in a Provinsi on "
              "2022-01-01: 'exempt death' exempts nothing",
              "rule 'kadis_wafat' judges only changes with reason 'death' (when reason), so a change with reason "
              "'resignation' never reaches it: 'exempt resignation' exempts nothing",
              "rule 'plt' governs only 'dismiss' and 'acting' (when action), but the reason 'definitive' is given only "
              "to an appointment, transfer or inauguration that makes the acting holder definitive: 'exempt "
              "definitive' exempts nothing",
              "rule 'berhenti' judges only changes with reason 'retirement' or 'resignation' (when reason) but also "
              "exempts 'retirement': the exemption cancels part of its own condition, so it never judges a change with "
              "reason 'retirement'; remove 'retirement' from one of the two",
              "rule 'ditahan' judges only changes with reason 'arrest' (when reason) and also exempts 'arrest': every "
              "change it matches is exempt, so it judges none",
              "rule 'kekosongan' is a check (check vacancy), which never looks at a change's reason: 'exempt death' "
              "exempts nothing",
          });
    CHECK(
        found[0].id ==
        "pada setiap perubahan dengan alasan 'death' yang cocok dengan aturan 'kadis', 'kadis_wafat' (set.patuh:20:8) "
        "mengambil kasusnya dan menyisihkan 'kadis', misalnya pengangkatan Eselon II dengan alasan 'death' di "
        "Provinsi pada 2022-01-01: 'exempt death' tidak mengecualikan apa pun");
}

TEST_CASE("W0406: an exemption set aside by an explicit override names every rule that takes the case",
          "[compile][analysis]") {
    const auto found = analysed(policy_opening("p", "from 2022-01-01") + R"(  rule kadis "Kadis" {
    when rank II
    requires menteri
    exempt definitive, arrest
  }
  rule kadis_angkat "Appointments" {
    when rank II
    when action appoint, transfer, inaugurate
    requires menteri
    overrides kadis
  }
  rule kadis_ditahan "Arrest" {
    when rank II
    when reason arrest
    forbidden
  }
  rule eselon_iii "Eselon III" {
    when rank III
    requires dirjen
  }
}
)",
                                diag_code::ineffective_exemption);
    REQUIRE(places(found) == std::vector<std::string>{"18:12", "18:24"});
    CHECK(
        english(found) ==
        std::vector<std::string>{
            "on every change with reason 'definitive' that rule 'kadis' matches, 'kadis_angkat' (set.patuh:20:8) takes "
            "the case and sets 'kadis' aside, e.g. an Eselon II appointment with reason 'definitive' in a Provinsi on "
            "2022-01-01: 'exempt definitive' exempts nothing",
            "on every change with reason 'arrest' that rule 'kadis' matches, 'kadis_angkat' (set.patuh:20:8) or "
            "'kadis_ditahan' (set.patuh:26:8) takes the case and sets 'kadis' aside, e.g. an Eselon II appointment "
            "with reason 'arrest' in a Provinsi on 2022-01-01: 'exempt arrest' exempts nothing",
        });
}

TEST_CASE("W0406 is not reported for exemptions the engine consults, nor for a rule already reported",
          "[compile][analysis]") {
    // kadis_wafat takes the deaths of Eselon II officials, but those of Eselon III ones still reach kadis
    const std::string text = policy_opening("p", "from 2022-01-01") + R"(  rule kadis "Kadis" {
    when rank II, III
    requires menteri
    exempt death, retirement, resignation, arrest, definitive
  }
  rule kadis_wafat "Death of an Eselon II official" {
    when rank II
    when reason death, arrest
    allowed
  }
  rule angkat "Appointments may make an acting holder definitive" {
    when rank III
    when action appoint
    requires dirjen
    exempt definitive
  }
  rule lama "Never applies (W0403): its exemption is not reported again" {
    when rank III
    when action appoint
    requires menteri
    exempt death
  }
  rule baru "Overrides lama" {
    when rank III
    when action appoint
    requires dirjen
    overrides lama
  }
}
)";
    CHECK(analysed(text, diag_code::ineffective_exemption).empty());
    // a rule with `when reason` applies to the changes with that reason: not shadowed
    CHECK(places(analysed(text, diag_code::rule_shadowed)) == std::vector<std::string>{"31:8"});
}

TEST_CASE("the shipped rules and the example rule files have no W0405 or W0406", "[compile][analysis]") {
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(std::string(PATUH_SOURCE_DIR) + "/examples"))
        if (entry.path().extension() == ".patuh" && entry.path().parent_path().filename() != "rule-analysis")
            files.push_back(entry.path().string());
    std::sort(files.begin(), files.end());
    REQUIRE_FALSE(files.empty());
    std::vector<compile_result> sets;
    sets.push_back(compile(load_embedded_rules()));
    for (const std::string& f : files) sets.push_back(compile(load_rules({f})));
    std::size_t analysed_sets = 0;
    for (const compile_result& c : sets) {
        if (!c.rules) continue;  // rule-errors/draft.patuh is meant to fail
        ++analysed_sets;
        diagnostic_list found;
        analyse(*c.rules, found);
        INFO(render_text(found, c.rules->sources, lang::en, false));
        for (const diagnostic& d : found.items) {
            CHECK(d.code != diag_code::ineffective_period);
            CHECK(d.code != diag_code::ineffective_exemption);
        }
    }
    CHECK(analysed_sets >= 2);
}

TEST_CASE("when vacant: a rule for posts nobody holds, narrower than the same rule without it",
          "[compile][analysis]") {
    const compile_result c = compile_text(policy_opening("p", "from 2015-12-01") + R"(  rule kadis "Kadis" {
    when rank II
    requires menteri
  }
  rule plt "Plt" {
    when rank II
    when action acting
    when vacant
    allowed
  }
}
)");
    INFO(render_text(c.diags, c.sources(), lang::en, false));
    REQUIRE(c.rules);
    const rule_set& r = *c.rules;
    CHECK(r.rules.at(1).vacant_only);
    match_query q;
    q.on = *date::parse("2020-01-01");
    q.rank = r.find_rank("II");
    q.act = action::acting;
    q.level = r.find_level("kota");
    q.unit = r.find_unit("disdukcapil");
    const auto ids = [&](std::optional<bool> vacant) {
        q.vacant = vacant;
        std::vector<std::string> out;
        for (const std::uint32_t i : r.applicable(q)) out.push_back(r.rules[i].id);
        return out;
    };
    CHECK(ids(true) == std::vector<std::string>{"plt"});    // narrower: overrides kadis without saying so
    CHECK(ids(false) == std::vector<std::string>{"kadis"});
    CHECK(ids(std::nullopt) == std::vector<std::string>{"plt"});  // unknown: taken to hold
    CHECK(r.test(r.rules[1], q) == mismatch::none);
    q.vacant = false;
    CHECK(r.test(r.rules[1], q) == mismatch::vacant);
}

TEST_CASE("W0401 names the vacancy case that has no rule", "[compile][analysis]") {
    const auto found = analysed(policy_opening("p", "from 2015-12-01") + R"(  rule kadis "Kadis" {
    when rank II
    when action appoint, dismiss, transfer, inaugurate
    requires menteri
  }
  rule plt "Plt" {
    when rank II
    when action acting
    when vacant
    allowed
  }
  rule e3 "Eselon III" {
    when rank III
    when action appoint, dismiss, transfer, inaugurate
    requires direktur
  }
}
)",
                                diag_code::coverage_gap);
    CHECK(english(found) ==
          std::vector<std::string>{
              "an Eselon II acting appointment of a held post in a Provinsi, Kabupaten or Kota (disdukcapil) on "
              "2015-12-01 has no rule",
              "an Eselon III acting appointment in a Provinsi, Kabupaten or Kota (disdukcapil) on 2015-12-01 has no rule",
          });
    REQUIRE(found.size() == 2);
    CHECK(found[0].id ==
          "penunjukan Plt/Plh Eselon II pada jabatan yang terisi di Provinsi, Kabupaten atau Kota "
          "(disdukcapil) pada 2015-12-01 tidak diatur aturan mana pun");
}

namespace {

// Every query of a grid of dates, ranks, actions, levels, reasons, vacancies,
// positions and calendars, grouped by rule_set::key_of: the queries of one
// key must have the same candidates and the same applicable rules, and the
// key found through the calendar's key_dates must be the same. Returns how
// many keys there were.
std::size_t check_keys_decide(const rule_set& r, const std::vector<const region_calendar*>& calendars,
                              const std::vector<std::string>& positions) {
    using rules_found = std::pair<std::vector<std::uint32_t>, std::vector<std::uint32_t>>;  // candidates, applicable
    std::map<std::tuple<std::uint64_t, std::uint64_t, std::uint64_t>, rules_found> seen;
    std::vector<index_t> ranks{no_index}, levels{no_index};
    for (std::size_t i = 0; i < r.ranks.size(); ++i) ranks.push_back(static_cast<index_t>(i));
    for (std::size_t i = 0; i < r.levels.size(); ++i) levels.push_back(static_cast<index_t>(i));
    const std::vector<std::optional<reason>> reasons{std::nullopt, reason::death, reason::definitive};
    const std::vector<std::optional<bool>> vacancies{std::nullopt, false, true};
    std::size_t mismatches = 0;
    std::size_t other_keys = 0;  // keys found through a calendar's key_dates that differ
    std::vector<std::vector<std::vector<period>>> windows(calendars.size());
    std::vector<key_dates> dates(calendars.size());
    for (std::size_t c = 0; c < calendars.size(); ++c) {
        if (calendars[c] != nullptr) r.window_periods(*calendars[c], windows[c]);
        r.key_dates_of(calendars[c], windows[c], dates[c]);
    }
    for (date on = *date::parse("2015-01-01"); on <= *date::parse("2025-06-30"); on = on + 41)
        for (std::size_t c = 0; c < calendars.size(); ++c)
            for (const index_t rank : ranks)
                for (std::size_t a = 0; a < action_count; ++a)
                    for (const index_t level : levels)
                        for (const std::optional<reason>& why : reasons)
                            for (const std::optional<bool>& vacant : vacancies)
                                for (const std::string& position : positions) {
                                    match_query q;
                                    q.on = on;
                                    q.rank = rank;
                                    q.act = static_cast<action>(a);
                                    q.level = level;
                                    q.unit = 0;
                                    q.position = position;
                                    q.why = why;
                                    q.vacant = vacant;
                                    q.calendar = calendars[c];
                                    const std::optional<match_key> key = r.key_of(q);
                                    REQUIRE(key);
                                    q.windows = &windows[c];
                                    q.dates = &dates[c];
                                    if (r.key_of(q) != key) ++other_keys;
                                    rules_found found{r.candidates(q), r.applicable(q)};
                                    const auto [it, fresh] =
                                        seen.try_emplace({key->post, key->moment, key->windows}, found);
                                    if (!fresh && it->second != found) ++mismatches;
                                }
    CHECK(mismatches == 0);
    CHECK(other_keys == 0);
    return seen.size();
}

}  // namespace

TEST_CASE("queries with the same match key have the same rules", "[compile]") {
    const compile_result c = compile(load_embedded_rules());
    REQUIRE(c.rules);
    const rule_set& r = *c.rules;
    // Elections, inaugurations and a caretaker open the windows of UU 10/2016 and PP 49/2008.
    region_calendar busy;
    busy.elections.push_back({*date::parse("2017-10-24"), *date::parse("2018-05-21")});
    busy.inaugurations.push_back({*date::parse("2018-05-22")});
    busy.caretakers.push_back({*date::parse("2022-05-22"), *date::parse("2024-02-19")});
    const region_calendar quiet;
    const std::size_t keys = check_keys_decide(r, {nullptr, &quiet, &busy}, {"kepala dinas"});
    // Dates, windows and the rest tell queries apart: not everything shares one key.
    CHECK(keys > 100);

    // Positions (one a rule names, another one, and none), a reason and a vacancy.
    const compile_result named = compile_text(std::string(vocabulary) + R"(
policy p "P" {
  in force from 2016-01-01 until 2020-12-31
  cite "x"
  rule kadis "Kadis" {
    when rank II
    when position "kepala dinas"
    requires menteri
  }
  rule others "Others" {
    in force from 2018-01-01
    when rank II, III
    when during 6 months after inauguration
    requires dirjen
  }
  rule deaths "Deaths" {
    when rank III
    when reason death
    when vacant
    requires direktur
  }
}
)");
    INFO(render_text(named.diags, named.sources(), lang::en, false));
    REQUIRE(named.rules);
    check_keys_decide(*named.rules, {nullptr, &quiet, &busy}, {"kepala dinas", "sekretaris", ""});
}

TEST_CASE("a position title is compared with a post's key as normalise_position would", "[compile]") {
    const std::vector<std::string> titles{"Kepala Dinas", "  kepala   DINAS ", "Kepala\tDinas\n", "Kepala Dinas X",
                                          "KepalaDinas", "", "   ", "Sekretaris", "kepala dinas ", "K"};
    for (const std::string& title : titles)
        for (const std::string& other : titles) {
            INFO('"' << title << "\" against the key of \"" << other << '"');
            const std::string key = normalise_position(other);
            CHECK(normalises_to(title, key) == (normalise_position(title) == key));
        }
    CHECK(normalises_to("  Kepala \t Dinas ", "kepala dinas"));
    CHECK_FALSE(normalises_to("Kepala Dinas", "kepala dinas x"));
    CHECK_FALSE(normalises_to("Kepala Dinas X", "kepala dinas"));
}
