// The rule language parser: every construct, every syntax diagnostic, includes.

#include "golden.hpp"

#include <nlohmann/json.hpp>
#include <patuh/parse.hpp>

#include <array>
#include <filesystem>
#include <span>
#include <string_view>
#include <fstream>

using namespace patuh;
using patuh::testing::check_golden;

namespace {

struct parsed {
    source_set sources;
    diagnostic_list diags;
    ast::file tree;
};

parsed parse_text(const std::string& text, const parse_limits& limits = {}) {
    parsed p;
    const std::uint32_t i = p.sources.add("test.patuh", text);
    p.tree = parse_file(p.sources, i, p.diags, limits);
    return p;
}

std::vector<std::string> codes(const diagnostic_list& d) {
    std::vector<std::string> out;
    for (const diagnostic& x : d.items) out.emplace_back(info(x.code).id);
    return out;
}

// "line:column" of each diagnostic (of a parsed text or of loaded rules).
template <typename Parsed>
std::vector<std::string> places(const Parsed& p) {
    std::vector<std::string> out;
    for (const diagnostic& x : p.diags.items) {
        const line_column lc = p.sources.at(x.where.file).locate(x.where.begin);
        out.push_back(std::to_string(lc.line) + ":" + std::to_string(lc.column));
    }
    return out;
}

std::string slice(const parsed& p, span s) { return p.sources.at(s.file).text().substr(s.begin, s.end - s.begin); }

template <typename T, typename V>
const T& only(const std::vector<V>& items) {
    const T* found = nullptr;
    for (const auto& item : items)
        if (const T* t = std::get_if<T>(&item)) {
            REQUIRE(found == nullptr);
            found = t;
        }
    REQUIRE(found != nullptr);
    return *found;
}

const ast::policy_decl& first_policy(const parsed& p) { return only<ast::policy_decl>(p.tree.items); }

struct temp_dir {
    std::filesystem::path path;
    explicit temp_dir(const char* name) : path(std::filesystem::temp_directory_path() / name) {
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    ~temp_dir() { std::filesystem::remove_all(path); }
    void write(const std::string& name, const std::string& text) const {
        std::filesystem::create_directories((path / name).parent_path());
        std::ofstream(path / name) << text;
    }
};

}  // namespace

TEST_CASE("the shipped rule files parse without a diagnostic", "[parser]") {
    const loaded_rules rules = load_embedded_rules();
    INFO(render_text(rules.diags, rules.sources, lang::en, false));
    CHECK(rules.diags.items.empty());
    CHECK(rules.files.size() >= 2);
}

TEST_CASE("declarations: authority, rank, unit, level, service, include", "[parser]") {
    const parsed p = parse_text(R"(# vocabulary
include "common.patuh"
authority dirjen "Direktur Jenderal" under menteri aliases "Dirjen Dukcapil" "Dirjen"
rank II "Eselon II" aliases "II.a" "II.b"
rank IV
unit disdukcapil "Dinas" aliases "Dukcapil"
level kota "Kota" codes "PP.71-99"
service ktp_el "Otorisasi KTP-el"  # trailing comment
)");
    INFO(render_text(p.diags, p.sources, lang::en, false));
    REQUIRE(p.diags.items.empty());
    REQUIRE(p.tree.items.size() == 7);
    CHECK(std::get<ast::include_decl>(p.tree.items[0]).path.value == "common.patuh");
    const auto& auth = std::get<ast::authority_decl>(std::get<ast::declaration>(p.tree.items[1]));
    CHECK(auth.id.text == "dirjen");
    CHECK(auth.title.value == "Direktur Jenderal");
    REQUIRE(auth.under);
    CHECK(auth.under->text == "menteri");
    REQUIRE(auth.aliases.size() == 2);
    CHECK(auth.aliases[1].value == "Dirjen");
    CHECK(slice(p, auth.id.where) == "dirjen");
    INFO("[" << slice(p, auth.where) << "]");
    CHECK(slice(p, auth.where).rfind("authority dirjen", 0) == 0);
    const auto& rank = std::get<ast::rank_decl>(std::get<ast::declaration>(p.tree.items[2]));
    CHECK(rank.id.text == "II");
    CHECK(rank.aliases.size() == 2);
    const auto& bare = std::get<ast::rank_decl>(std::get<ast::declaration>(p.tree.items[3]));
    CHECK(bare.id.text == "IV");
    CHECK_FALSE(bare.title);
    const auto& level = std::get<ast::level_decl>(std::get<ast::declaration>(p.tree.items[5]));
    CHECK(level.codes.value == "PP.71-99");
    const auto& service = std::get<ast::service_decl>(std::get<ast::declaration>(p.tree.items[6]));
    CHECK(service.id.text == "ktp_el");
}

TEST_CASE("a policy with rules, a moratorium and an escalation ladder", "[parser]") {
    const parsed p = parse_text(R"(policy p76 "Permendagri 76/2015" {
  in force from 2015-12-01 until 2021-12-30
  cite "Permendagri 76/2015"
  rank III "Eselon III"

  rule kadis "Kepala Dinas" {
    when rank II
    when action appoint, dismiss, transfer
    when level kabupaten, kota
    when position "Kepala Dinas", "Plt. Kepala Dinas"
    when reason death
    requires menteri or higher within 14 days
    route kepala_daerah, gubernur, dirjen when level kabupaten, kota
    lead time 30 days
    severity high
    cite "UU 24/2013 Pasal 83A"
    message id "Kepala Dinas diganti tanpa \"SK\" Menteri"
    message en "Head replaced"
    exempt death, retirement
    overrides umum
    in force from 2016-01-01
  }
  rule belum "Tidak dilantik" {
    check not_installed within 30 days
    allowed
  }
  moratorium pilkada "Larangan" from 2018-01-08 until 2018-09-27 {
    forbidden
  }
  escalation {
    stage diawasi on finding message id "Diawasi" message en "Under watch"
    stage ditegur_lagi on warning 2
  }
}
)");
    INFO(render_text(p.diags, p.sources, lang::en, false));
    REQUIRE(p.diags.items.empty());
    const ast::policy_decl& pol = first_policy(p);
    CHECK(pol.id.text == "p76");
    REQUIRE(pol.title);
    const auto& period = only<ast::in_force>(pol.items);
    CHECK(period.from.value.iso() == "2015-12-01");
    REQUIRE(period.until);
    CHECK(period.until->value.iso() == "2021-12-30");

    std::vector<const ast::rule_decl*> rules;
    for (const auto& item : pol.items)
        if (const auto* r = std::get_if<ast::rule_decl>(&item)) rules.push_back(r);
    REQUIRE(rules.size() == 3);
    const ast::rule_decl& kadis = *rules[0];
    CHECK(kadis.form == ast::rule_form::rule);
    CHECK(kadis.items.size() == 15);
    std::vector<const ast::condition*> conditions;
    for (const auto& item : kadis.items)
        if (const auto* c = std::get_if<ast::condition>(&item)) conditions.push_back(c);
    REQUIRE(conditions.size() == 5);
    CHECK(conditions[1]->kind == ast::condition_kind::action);
    CHECK(conditions[1]->names.size() == 3);
    CHECK(conditions[3]->kind == ast::condition_kind::position);
    CHECK(conditions[3]->positions.at(1).value == "Plt. Kepala Dinas");
    CHECK(conditions[4]->kind == ast::condition_kind::reason);
    const auto& req = only<ast::requirement>(kadis.items);
    CHECK(req.authority.text == "menteri");
    CHECK(req.or_higher);
    CHECK(req.timing == ast::timing_kind::within_days);
    CHECK(req.days == 14);
    const auto& route = only<ast::route_stmt>(kadis.items);
    CHECK(route.chain.size() == 3);
    CHECK(route.levels.size() == 2);
    CHECK(only<ast::lead_time_stmt>(kadis.items).days == 30);
    CHECK(only<ast::severity_stmt>(kadis.items).level.text == "high");
    std::vector<const ast::message_stmt*> messages;
    for (const auto& item : kadis.items)
        if (const auto* m = std::get_if<ast::message_stmt>(&item)) messages.push_back(m);
    REQUIRE(messages.size() == 2);
    CHECK(messages[0]->language.text == "id");
    CHECK(messages[0]->body.value == "Kepala Dinas diganti tanpa \"SK\" Menteri");
    CHECK(only<ast::exempt_stmt>(kadis.items).reasons.size() == 2);
    CHECK(only<ast::overrides_stmt>(kadis.items).rules.at(0).text == "umum");
    CHECK(only<ast::in_force>(kadis.items).from.value.iso() == "2016-01-01");

    const auto& check = only<ast::check_stmt>(rules[1]->items);
    CHECK(check.which.text == "not_installed");
    CHECK(check.days == 30);
    CHECK(std::holds_alternative<ast::allowed_stmt>(rules[1]->items.at(1)));

    const ast::rule_decl& moratorium = *rules[2];
    CHECK(moratorium.form == ast::rule_form::moratorium);
    const auto& window = only<ast::in_force>(moratorium.items);
    CHECK(window.from.value.iso() == "2018-01-08");
    CHECK(window.until->value.iso() == "2018-09-27");
    CHECK(std::holds_alternative<ast::forbidden_stmt>(moratorium.items.at(1)));

    const auto& ladder = only<ast::escalation_decl>(pol.items);
    REQUIRE(ladder.stages.size() == 2);
    CHECK(ladder.stages[0].labels.size() == 2);
    CHECK(ladder.stages[0].trigger.text == "finding");
    CHECK(ladder.stages[1].count == 2);
    CHECK(ladder.stages[1].labels.empty());
}

TEST_CASE("requirement timing defaults to on or before the effective date", "[parser]") {
    const parsed p = parse_text("policy x {\n rule r \"R\" {\n  requires dirjen on or before effective date\n }\n rule s \"S\" {\n  requires menteri\n }\n}\n");
    REQUIRE(p.diags.items.empty());
    const ast::policy_decl& pol = first_policy(p);
    for (const auto& item : pol.items) {
        const auto& req = only<ast::requirement>(std::get<ast::rule_decl>(item).items);
        CHECK(req.timing == ast::timing_kind::on_or_before);
        CHECK_FALSE(req.or_higher);
    }
}

TEST_CASE("keywords are names where a name is expected", "[parser]") {
    const parsed p = parse_text("rank rank \"x\"\nunit policy\nauthority when \"y\" under rule\n");
    INFO(render_text(p.diags, p.sources, lang::en, false));
    CHECK(p.diags.items.empty());
    CHECK(p.tree.items.size() == 3);
}

TEST_CASE("three syntax errors give three located diagnostics, and the rest is read", "[parser][golden]") {
    const parsed p = parse_text(R"(authority menteri "Menteri Dalam Negeri"
policy p "P" {
  rule kadis "Kepala Dinas" {
    when rank II
    requires menteri on before effective date
    severity
    lead time thirty days
    cite "UU 24/2013"
  }
  rule sekdis "Sekretaris" {
    when rank III
    requires dirjen
  }
}
)");
    CHECK(codes(p.diags) == std::vector<std::string>{"E0101", "E0101", "E0101"});
    CHECK(places(p) == std::vector<std::string>{"5:25", "6:13", "7:15"});
    // the statements around the errors are kept
    const ast::policy_decl& pol = first_policy(p);
    REQUIRE(pol.items.size() == 2);
    CHECK(std::get<ast::rule_decl>(pol.items[0]).items.size() == 2);  // when rank II, cite
    CHECK(std::get<ast::rule_decl>(pol.items[1]).items.size() == 2);
    check_golden("diagnostics/three_syntax_errors.en.txt", render_text(p.diags, p.sources, lang::en, false));
    check_golden("diagnostics/three_syntax_errors.id.txt", render_text(p.diags, p.sources, lang::id, false));
}

TEST_CASE("a misspelt statement keyword gets a suggestion", "[parser][golden]") {
    const parsed p = parse_text("policy p {\n  rule r \"R\" {\n    requries menteri\n    serverity high\n  }\n}\nautority x \"X\"\n");
    CHECK(codes(p.diags) == std::vector<std::string>{"E0101", "E0101", "E0101"});
    REQUIRE(p.diags.items.size() == 3);
    CHECK(p.diags.items[0].suggestion == "requires");
    CHECK(p.diags.items[1].suggestion == "severity");
    CHECK(p.diags.items[2].suggestion == "authority");
    check_golden("diagnostics/misspelt_keywords.en.txt", render_text(p.diags, p.sources, lang::en, false));
}

TEST_CASE("strings, dates and blocks: their own diagnostics", "[parser][golden]") {
    const parsed p = parse_text(R"(authority menteri "Menteri Dalam Negeri
policy p "P" {
  in force from 2021-02-30
  rule r "R" {
    cite "a\qb"
    requires menteri extra
  }
  rule "no id" {
    when rank II
  }
  rule s "S" {
    severity high
)");
    CHECK(codes(p.diags) ==
          std::vector<std::string>{"E0102", "E0103", "E0101", "E0101", "E0101", "E0101", "E0101"});
    CHECK(places(p) == std::vector<std::string>{"1:19", "3:17", "5:13", "6:22", "8:8", "11:3", "2:1"});
    check_golden("diagnostics/strings_dates_blocks.en.txt", render_text(p.diags, p.sources, lang::en, false));
    check_golden("diagnostics/strings_dates_blocks.json", render_json(p.diags, p.sources, lang::en).dump(2) + "\n");
}

TEST_CASE("a header error does not cascade into the block's statements", "[parser]") {
    const parsed p = parse_text("policy p {\n  rule r {\n    when rank II\n    requires menteri\n  }\n  rule s \"S\" {\n    allowed\n  }\n}\n");
    CHECK(codes(p.diags) == std::vector<std::string>{"E0101"});
    const ast::policy_decl& pol = first_policy(p);
    REQUIRE(pol.items.size() == 1);
    CHECK(std::get<ast::rule_decl>(pol.items[0]).id.text == "s");
}

TEST_CASE("a stray closing brace at the top level is reported", "[parser]") {
    const parsed p = parse_text("rank II\n}\nrank III\n");
    CHECK(codes(p.diags) == std::vector<std::string>{"E0101"});
    CHECK(places(p) == std::vector<std::string>{"2:1"});
    CHECK(p.tree.items.size() == 2);
}

TEST_CASE("limits: file size, line length and rule count", "[parser][limits]") {
    SECTION("file size") {
        parse_limits limits;
        limits.max_file_bytes = 16;
        const parsed p = parse_text("rank II \"Eselon II\"\n", limits);
        CHECK(codes(p.diags) == std::vector<std::string>{"E0107"});
        CHECK(p.tree.items.empty());
    }
    SECTION("line length") {
        parse_limits limits;
        limits.max_line_bytes = 20;
        const parsed p = parse_text("rank II\nrank III \"a title that is far too long\"\n", limits);
        CHECK(codes(p.diags) == std::vector<std::string>{"E0107"});
        CHECK(places(p) == std::vector<std::string>{"2:1"});
    }
    SECTION("rules in one file") {
        parse_limits limits;
        limits.max_rules = 1;
        const parsed p = parse_text("policy p {\n rule a \"A\" {\n  allowed\n }\n rule b \"B\" {\n  allowed\n }\n}\n", limits);
        CHECK(codes(p.diags) == std::vector<std::string>{"E0107"});
        CHECK(places(p) == std::vector<std::string>{"5:7"});
        REQUIRE(p.diags.items.size() == 1);
        CHECK(p.diags.items[0].message.en == "more than 1 rule in one file");
    }
    SECTION("limits of one byte: the counts read as English") {
        parse_limits limits;
        limits.max_file_bytes = 1;
        CHECK(parse_text("rank II\n", limits).diags.items.at(0).message.en == "the file has 8 bytes; the limit is 1 byte");
        limits.max_file_bytes = 64;
        limits.max_line_bytes = 1;
        CHECK(parse_text("rank II\n", limits).diags.items.at(0).message.en ==
              "the line has 7 bytes; the limit is 1 byte");
    }
}

TEST_CASE("includes are followed, read once, and confined to the rule folder", "[parser][include]") {
    temp_dir dir("patuh-include-test");
    dir.write("main.patuh", "include \"vocab/ranks.patuh\"\ninclude \"vocab/ranks.patuh\"\nrank III\n");
    dir.write("vocab/ranks.patuh", "include \"../units.patuh\"\nrank II\n");
    dir.write("units.patuh", "unit disdukcapil\n");
    dir.write("bad.patuh", "include \"../outside.patuh\"\ninclude \"/etc/passwd\"\ninclude \"missing.patuh\"\n");
    dir.write("cycle_a.patuh", "include \"cycle_b.patuh\"\n");
    dir.write("cycle_b.patuh", "include \"cycle_a.patuh\"\n");

    SECTION("nested includes, each file once") {
        const loaded_rules r = load_rules({dir.path / "main.patuh"});
        INFO(render_text(r.diags, r.sources, lang::en, false));
        CHECK(r.diags.items.empty());
        CHECK(r.files.size() == 3);
    }
    SECTION("a folder argument reads every file once, even those also included") {
        parse_limits limits;
        const loaded_rules r = load_rules({dir.path / "vocab"}, limits);
        CHECK(r.diags.items.size() == 1);  // ../units.patuh leaves the folder given
        CHECK(codes(r.diags) == std::vector<std::string>{"E0104"});
    }
    SECTION("outside the folder, absolute, missing") {
        const loaded_rules r = load_rules({dir.path / "bad.patuh"});
        CHECK(codes(r.diags) == std::vector<std::string>{"E0104", "E0104", "E0105"});
    }
    SECTION("a cycle") {
        const loaded_rules r = load_rules({dir.path / "cycle_a.patuh"});
        CHECK(codes(r.diags) == std::vector<std::string>{"E0106"});
    }
    SECTION("a file that cannot be read") {
        const loaded_rules r = load_rules({dir.path / "nope.patuh"});
        CHECK(codes(r.diags) == std::vector<std::string>{"E0108"});
    }
    SECTION("an included file that exists but cannot be read: E0108 at the include, with the reason") {
        dir.write("shelf.patuh/inside.patuh", "rank II\n");  // a folder named like a rule file
        dir.write("reads_folder.patuh", "include \"shelf.patuh\"\ninclude \"absent.patuh\"\n");
        const loaded_rules r = load_rules({dir.path / "reads_folder.patuh"});
        CHECK(codes(r.diags) == std::vector<std::string>{"E0108", "E0105"});
        CHECK(places(r) == std::vector<std::string>{"1:9", "2:9"});
        REQUIRE(r.diags.items.size() == 2);
        CHECK(r.diags.items[0].message.en.ends_with("shelf.patuh': this is a folder, not a file"));
        CHECK(r.diags.items[0].message.id.ends_with("shelf.patuh' tidak dapat dibaca: ini folder, bukan berkas"));
    }
}

TEST_CASE("a suggestion is the closest known name, the same from a list of strings or of views", "[parser][suggestion]") {
    const std::vector<std::string> owned = {"kind", "date", "region", "unit", "position", "person", "approvals"};
    const std::vector<std::string_view> views(owned.begin(), owned.end());
    const auto both_ways = [&](std::string_view name) {
        const std::string a = did_you_mean(name, owned);
        CHECK(did_you_mean(name, std::span<const std::string_view>(views)) == a);
        return a;
    };
    CHECK(both_ways("knd") == "kind");           // one letter left out
    CHECK(both_ways("Regoin") == "region");      // case and two letters swapped
    CHECK(both_ways("approval") == "approvals"); // a shorter form of a known name
    CHECK(both_ways("persons") == "person");     // a longer form
    CHECK(both_ways("deadline").empty());        // nothing close enough
    CHECK(both_ways("").empty());
    // Of equally close names, the first listed.
    CHECK(did_you_mean("dat", std::vector<std::string>{"data", "date"}) == "data");
    const std::array<std::string_view, 2> tied = {"date", "data"};
    CHECK(did_you_mean("dat", tied) == "date");
}
