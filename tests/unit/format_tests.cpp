// patuh fmt: one canonical layout, comments kept, idempotent, same meaning.

#include "golden.hpp"

#include <fmt/core.h>
#include <patuh/format.hpp>
#include <patuh/parse.hpp>
#include <patuh/rule_set.hpp>

#include <algorithm>
#include <filesystem>

using namespace patuh;
using patuh::testing::check_golden;
using patuh::testing::read_text;

namespace {

std::string join(const index_set& s) {
    if (s.any) return "*";
    std::string out;
    for (const index_t i : s.members) out += fmt::format("{},", i);
    return out;
}

// Everything the engine reads from a compiled rule set, positions left out.
std::string meaning(const rule_set& r) {
    std::string out;
    for (const authority& a : r.authorities) out += fmt::format("authority {} {} {} {}\n", a.id, a.title, a.parent, a.aliases.size());
    for (const rank& x : r.ranks) out += fmt::format("rank {} {} {}\n", x.id, x.title, x.aliases.size());
    for (const unit& x : r.units) out += fmt::format("unit {} {} {}\n", x.id, x.title, x.aliases.size());
    for (const level& x : r.levels) out += fmt::format("level {} {} {} {}\n", x.id, x.province, x.from, x.to);
    for (const service& x : r.services) out += fmt::format("service {} {}\n", x.id, x.title);
    for (const policy& p : r.policies)
        out += fmt::format("policy {} {} {} {} {}\n", p.id, p.title, p.in_force.from.days(), p.in_force.until.days(), p.citation);
    for (const rule& x : r.rules) {
        out += fmt::format("rule {} {} {} {} {}-{} ranks {} levels {} units {} any_action {} positions {}\n", x.id,
                           x.title, x.policy, static_cast<int>(x.kind), x.in_force.from.days(),
                           x.in_force.until.days(), join(x.ranks), join(x.levels), join(x.units), x.any_action,
                           x.positions.size());
        for (std::size_t i = 0; i < x.actions.size(); ++i) out += x.actions[i] ? "A" : "-";
        for (std::size_t i = 0; i < x.exempt.size(); ++i) out += x.exempt[i] ? "E" : "-";
        out += fmt::format(" need {} {} {} {} {} lead {} sev {} cite {} msg {} | {} routes {} overrides {}\n",
                           static_cast<int>(x.need), x.authority, x.or_higher, static_cast<int>(x.timing), x.days,
                           x.lead_days, static_cast<int>(x.sev), x.citation, x.message.id, x.message.en,
                           x.routes.size(), x.overrides.size());
    }
    for (const stage& s : r.ladder) out += fmt::format("stage {} {} {} {}\n", s.id, static_cast<int>(s.trigger), s.count, s.label.en);
    return out;
}

std::optional<rule_set> compile_one(const std::string& name, const std::string& text, diagnostic_list& diags) {
    loaded_rules l;
    const std::uint32_t i = l.sources.add(name, text);
    l.files.push_back(parse_file(l.sources, i, l.diags));
    compile_result c = compile(std::move(l));
    diags = c.diags;
    return std::move(c.rules);
}

std::vector<std::filesystem::path> rule_files_in_repo() {
    std::vector<std::filesystem::path> out;
    for (const char* folder : {"rules", "examples", "tests/golden/format"})
        for (const auto& e : std::filesystem::recursive_directory_iterator(std::string(PATUH_SOURCE_DIR) + "/" + folder))
            if (e.path().extension() == ".patuh") out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST_CASE("fmt lays out a messy file canonically and keeps its comments", "[fmt][golden]") {
    const std::string messy = read_text(std::string(PATUH_GOLDEN_DIR) + "/format/messy.patuh");
    REQUIRE_FALSE(messy.empty());
    const std::string formatted = format_rules(messy);
    check_golden("format/messy.formatted.txt", formatted);
    CHECK(formatted.find("# head comment") != std::string::npos);
    CHECK(formatted.find("# inner comment") != std::string::npos);
    CHECK(formatted.find("  # trailing") != std::string::npos);
}

TEST_CASE("fmt is idempotent and keeps the meaning of every rule file in the repository", "[fmt]") {
    const auto files = rule_files_in_repo();
    REQUIRE(files.size() >= 3);
    for (const auto& path : files) {
        INFO(path.string());
        const std::string text = read_text(path.string());
        diagnostic_list parse_diags;
        source_set sources;
        (void)parse_file(sources, sources.add(path.string(), text), parse_diags);
        if (parse_diags.has_errors()) continue;  // fmt refuses files with syntax errors
        const std::string once = format_rules(text);
        CHECK(format_rules(once) == once);
        // Only whitespace may change.
        std::string a = text, b = once;
        std::erase_if(a, [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
        std::erase_if(b, [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
        CHECK(a == b);
        // Files without includes compile alone: their rule sets must be the same.
        if (text.find("include ") != std::string::npos) continue;
        diagnostic_list before_diags, after_diags;
        const auto before = compile_one("x.patuh", text, before_diags);
        const auto after = compile_one("x.patuh", once, after_diags);
        CHECK(before.has_value() == after.has_value());
        CHECK(before_diags.items.size() == after_diags.items.size());
        if (before && after) CHECK(meaning(*before) == meaning(*after));
    }
}

TEST_CASE("the shipped rule set keeps its meaning once formatted", "[fmt]") {
    loaded_rules original = load_embedded_rules();
    loaded_rules formatted;
    for (const embedded_file& f : embedded_rule_files()) {
        const std::uint32_t i = formatted.sources.add(f.name, format_rules(f.text));
        formatted.files.push_back(parse_file(formatted.sources, i, formatted.diags));
    }
    const compile_result a = compile(std::move(original));
    const compile_result b = compile(std::move(formatted));
    REQUIRE(a.rules);
    REQUIRE(b.rules);
    CHECK(meaning(*a.rules) == meaning(*b.rules));
}

TEST_CASE("the shipped rule files are already in the canonical layout", "[fmt]") {
    for (const embedded_file& f : embedded_rule_files()) {
        INFO(f.name);
        CHECK(format_rules(f.text) == f.text);
    }
}
