// patuh check: reads rule files and reports every diagnostic.

#include "cli/commands.hpp"
#include "cli/common.hpp"

#include <patuh/analysis.hpp>
#include <patuh/parse.hpp>
#include <patuh/rule_test.hpp>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>
#include <unistd.h>

namespace patuh::cli {

namespace {
struct check_options {
    common_options common;
    std::string format = "text";
    bool strict = false;
};
}  // namespace

command_runner add_check(CLI::App& app, lang l) {
    auto o = std::make_shared<check_options>();
    CLI::App* sub = app.add_subcommand(
        "check", tr(l, "Periksa berkas aturan: galat dan peringatan, masing-masing dengan berkas:baris:kolom",
                    "Check rule files: errors and warnings, each with file:line:column"));
    sub->add_option("rules", o->common.rules,
                    tr(l, "Berkas atau folder aturan (bawaan: aturan yang dibawa patuh)",
                       "Rule files or folders (default: the shipped rules)"));
    sub->add_option("--format", o->format,
                    tr(l, "Bentuk keluaran: text atau json",
                       "Output format: text or json"))->check(CLI::IsMember({"text", "json"}));
    sub->add_flag("--strict", o->strict,
                  tr(l, "Peringatan juga menggagalkan pemeriksaan",
                     "Warnings fail the check too"));
    add_rule_limits(sub, o->common, l);
    add_language_options(sub, o->common, true, l);
    return [o]() {
        loaded_rules loaded = load_rule_files(o->common);
        const std::size_t files = loaded.files.size();
        const std::vector<ast::test_decl> tests = test_blocks(loaded);
        compile_result compiled = compile(std::move(loaded));
        if (compiled.rules) {
            analyse(*compiled.rules, compiled.diags);
            prepare_tests(tests, *compiled.rules, compiled.diags);
        }
        const lang l = language(o->common);
        const diagnostic_list& diags = compiled.diags;
        std::string text;
        if (o->format == "json") {
            nlohmann::json out = render_json(diags, compiled.sources(), l);
            out["files"] = files;
            out["rules"] = compiled.rules ? compiled.rules->rules.size() : 0;
            text = json_text(out);
        } else {
            text = render_text(diags, compiled.sources(), l, use_color(o->common, STDOUT_FILENO));
            text += trf(l, "berkas: {}, aturan: {}, galat: {}, peringatan: {}\n",
                        "files: {}, rules: {}, errors: {}, warnings: {}\n", files,
                        compiled.rules ? compiled.rules->rules.size() : 0, diags.error_count(), diags.warning_count());
        }
        if (!write_output(text, "", "check", l)) return exit_unusable;
        // A rule file that cannot be read is unusable input, not a mistake in the rules.
        if (std::any_of(diags.items.begin(), diags.items.end(),
                        [](const diagnostic& d) { return d.code == diag_code::unreadable_file; }))
            return exit_unusable;
        if (diags.has_errors()) return exit_findings;
        if (o->strict && diags.warning_count() > 0) return exit_findings;
        return exit_ok;
    };
}

}  // namespace patuh::cli
