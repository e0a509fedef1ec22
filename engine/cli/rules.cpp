// patuh rules: the table of which approval each change needs, on one date.

#include "cli/commands.hpp"
#include "cli/common.hpp"

#include <patuh/rules_table.hpp>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>

namespace patuh::cli {

namespace {

struct rules_options {
    common_options common;
    std::string on;
    std::string format = "text";
};

date today() {
    const auto days = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    return date::from_days(static_cast<std::int32_t>(days.time_since_epoch().count()));
}

int run_rules(const rules_options& o) {
    const lang l = language(o.common);
    date on = today();
    if (!o.on.empty()) {
        const auto d = date::parse(o.on);
        if (!d) {
            fmt::print(stderr, "patuh rules: --date '{}': {}\n", o.on,
                       tr(l, "bukan tanggal kalender yang sah (YYYY-MM-DD)", "not a real calendar day (YYYY-MM-DD)"));
            return exit_unusable;
        }
        on = *d;
    }
    const std::optional<rule_set> rules = load_rule_set(o.common);
    if (!rules) return exit_unusable;
    const std::vector<table_row> rows = rules_table(*rules, on);
    const std::string text = o.format == "json"       ? json_text(render_table_json(rows, *rules, on, l))
                             : o.format == "markdown" ? render_table_markdown(rows, *rules, on, l)
                             : o.format == "html"     ? render_table_html(rows, *rules, on, l)
                                                      : render_table_text(rows, *rules, on, l);
    return write_output(text, "", "rules", l) ? exit_ok : exit_unusable;
}

}  // namespace

command_runner add_rules(CLI::App& app, lang l) {
    auto o = std::make_shared<rules_options>();
    CLI::App* sub = app.add_subcommand(
        "rules", tr(l, "Tampilkan persetujuan yang diperlukan setiap eselon dan tindakan pada suatu tanggal",
                    "Print which approval each rank and action needs on a date"));
    sub->add_option("--date", o->on,
                    tr(l, "Tanggalnya (YYYY-MM-DD; bawaan: hari ini)",
                       "The date (YYYY-MM-DD; default: today)"));
    sub->add_option("--format", o->format, tr(l, "text, markdown, html atau json", "text, markdown, html or json"))
        ->check(CLI::IsMember({"text", "markdown", "html", "json"}));
    add_rules_option(sub, o->common, l);
    add_language_options(sub, o->common, false, l);
    return [o]() { return run_rules(*o); };
}

}  // namespace patuh::cli
