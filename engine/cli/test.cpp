// patuh test: runs the `test` blocks of rule files and reports coverage.

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "common/support.hpp"

#include <patuh/report.hpp>
#include <patuh/rule_test.hpp>

#include <fmt/core.h>

#include <cerrno>
#include <fstream>
#include <map>
#include <memory>
#include <unistd.h>

namespace patuh::cli {

namespace {

struct test_options {
    common_options common;
    std::string junit;
};

std::string test_label(const rule_test& t) { return t.title.empty() ? t.id : fmt::format("{} — {}", t.id, t.title); }

std::string render_results(const std::vector<test_result>& results, const test_coverage& cov, const rule_set& rules,
                           lang l) {
    std::string out = trf(l, "patuh test: {} uji\n", "patuh test: {} {}\n", results.size(),
                          plural(results.size(), "test", "tests"));
    std::size_t passed = 0;
    for (const test_result& r : results) {
        if (r.passed()) ++passed;
        out += fmt::format("  {:<5} {}\n", r.passed() ? "ok" : "FAIL", test_label(*r.test));
        for (const test_failure& f : r.failures)
            out += fmt::format("        {}: {}\n", rules.sources.where(f.where), f.message.in(l));
    }
    out += trf(l, "\nCakupan aturan: {} dari {} aturan menilai setidaknya satu perubahan\n",
               "\nRule coverage: {} of {} {} judged at least one change\n", cov.rules_exercised(),
               rules.rules.size(), plural(rules.rules.size(), "rule", "rules"));
    for (std::size_t i = 0; i < rules.rules.size(); ++i) {
        const rule& r = rules.rules[i];
        const std::string name = fmt::format("{} ({})", r.id, rules.policies[r.policy].id);
        if (cov.rule_exercised[i]) out += fmt::format("  + {}\n", name);
        else out += fmt::format("  - {}  {}  {}\n", name, tr(l, "tidak pernah diuji", "never exercised"),
                                rules.sources.where(r.where));
    }
    out += trf(l, "Cakupan pasal yang dirujuk: {} dari {}\n", "Cited-article coverage: {} of {}\n",
               cov.articles_exercised(), cov.articles.size());
    for (const test_coverage::article& a : cov.articles) {
        if (a.exercised) {
            out += fmt::format("  + {}\n", a.text);
            continue;
        }
        std::string citing;
        for (const std::uint32_t i : a.rules) citing += (citing.empty() ? "" : ", ") + rules.rules[i].id;
        out += fmt::format("  - {}  {} {}\n", a.text, tr(l, "dirujuk oleh", "cited by"), citing);
    }
    // The last line is plain and stable, for scripts: "N passed, N failed".
    out += fmt::format("{} passed, {} failed\n", passed, results.size() - passed);
    return out;
}

std::string render_junit(const std::vector<test_result>& results, const rule_set& rules, lang l) {
    std::map<std::string, std::vector<const test_result*>> by_file;
    std::size_t failures = 0;
    for (const test_result& r : results) {
        by_file[rules.sources.at(r.test->where.file).name()].push_back(&r);
        if (!r.passed()) ++failures;
    }
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += fmt::format("<testsuites name=\"patuh\" tests=\"{}\" failures=\"{}\">\n", results.size(), failures);
    for (const auto& [file, list] : by_file) {
        const auto failed = std::count_if(list.begin(), list.end(), [](const test_result* r) { return !r->passed(); });
        out += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\">\n", markup_escape(file),
                           list.size(), failed);
        for (const test_result* r : list) {
            const std::size_t line = rules.sources.at(r->test->where.file).locate(r->test->where.begin).line;
            out += fmt::format("    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\"", markup_escape(r->test->id),
                               markup_escape(file), markup_escape(file), line);
            if (r->passed()) {
                out += "/>\n";
                continue;
            }
            out += ">\n";
            for (const test_failure& f : r->failures)
                out += fmt::format("      <failure message=\"{}\">{}: {}</failure>\n", markup_escape(f.message.in(l)),
                                   markup_escape(rules.sources.where(f.where)), markup_escape(f.message.in(l)));
            out += "    </testcase>\n";
        }
        out += "  </testsuite>\n";
    }
    out += "</testsuites>\n";
    return out;
}

int run_tests(const test_options& o) {
    const lang l = language(o.common);
    loaded_rules loaded = load_rule_files(o.common);
    const std::vector<ast::test_decl> blocks = test_blocks(loaded);
    compile_result compiled = compile(std::move(loaded));
    std::vector<rule_test> tests;
    if (compiled.rules) tests = prepare_tests(blocks, *compiled.rules, compiled.diags);
    if (!compiled.diags.items.empty())
        fmt::print(stderr, "{}",
                   render_text(compiled.diags, compiled.sources(), l, use_color(o.common, STDERR_FILENO)));
    if (compiled.diags.has_errors()) {
        fmt::print(stderr, "patuh test: {}\n",
                   trf(l, "{} galat; tidak ada uji yang dijalankan", "{} {}; no test was run",
                       compiled.diags.error_count(), plural(compiled.diags.error_count(), "error", "errors")));
        return exit_unusable;
    }
    if (blocks.empty()) {
        fmt::print(stderr, "patuh test: {}\n",
                   tr(l, "berkas aturan tidak memuat blok 'test' (lihat docs/testing.md)",
                      "the rule files hold no 'test' block (see docs/testing.md)"));
        return exit_unusable;
    }
    const rule_set& rules = *compiled.rules;
    std::vector<test_result> results;
    results.reserve(tests.size());
    for (const rule_test& t : tests) results.push_back(run_test(t, rules));
    const test_coverage cov = measure_coverage(rules, results);
    if (!write_output(o.junit == "-" ? render_junit(results, rules, l) : render_results(results, cov, rules, l), "",
                      "test", l))
        return exit_unusable;
    if (!o.junit.empty() && o.junit != "-") {
        errno = 0;
        std::ofstream out(o.junit, std::ios::binary);
        out << render_junit(results, rules, l);
        out.close();
        if (!out) {
            fmt::print(stderr, "patuh test: {}: {}\n", shown(o.junit), cannot_write(errno).in(l));
            return exit_unusable;
        }
    }
    const bool all_passed = std::all_of(results.begin(), results.end(), [](const test_result& r) { return r.passed(); });
    return all_passed ? exit_ok : exit_findings;
}

}  // namespace

command_runner add_test(CLI::App& app, lang l) {
    auto o = std::make_shared<test_options>();
    CLI::App* sub = app.add_subcommand(
        "test", tr(l,
                   "Jalankan blok test berkas aturan: temuan yang diharapkan, tanggal laporan yang dibekukan, "
                   "cakupan",
                   "Run the test blocks of rule files: expected findings, a frozen report date, coverage"));
    sub->add_option("rules", o->common.rules,
                    tr(l, "Berkas atau folder aturan yang memuat test (bawaan: aturan yang dibawa patuh)",
                       "Rule files or folders holding the tests (default: the shipped rules)"));
    sub->add_option("--junit", o->junit,
                    tr(l, "Tulis juga hasilnya sebagai XML JUnit ke berkas ini (-: cetak XML-nya saja)",
                       "Also write the results as JUnit XML to this file (-: print only the XML)"));
    add_rule_limits(sub, o->common, l);
    add_language_options(sub, o->common, true, l);
    return [o]() { return run_tests(*o); };
}

}  // namespace patuh::cli
