// patuh plan: a planned rotation judged against the rules and the current state.

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "common/support.hpp"

#include <patuh/plan.hpp>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>

namespace patuh::cli {

namespace {

struct plan_options_cli {
    common_options common;
    input_options input;
    std::string plan_file;
    std::vector<std::string> state;
    std::string plan_format = "auto";
    std::string format = "text";
    std::string today;
    bool assume_approved = false;
    std::string output;
};

date system_today() {
    const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    return date::from_days(static_cast<std::int32_t>(now.time_since_epoch().count()));
}

int run_plan(const plan_options_cli& o) {
    const lang l = language(o.common);
    plan_options po;
    po.assume_approved = o.assume_approved;
    po.today = system_today();
    if (!o.today.empty()) {
        const auto d = date::parse(o.today);
        if (!d) {
            fmt::print(stderr, "patuh plan: --today '{}': {}\n", o.today,
                       tr(l, "bukan tanggal kalender yang sah (YYYY-MM-DD)", "not a real calendar day (YYYY-MM-DD)"));
            return exit_unusable;
        }
        po.today = *d;
    }
    // The report is written over what was read: it may not be the plan or a state log.
    std::vector<std::string> inputs = o.state;
    inputs.push_back(o.plan_file);
    if (refuse_input_written_over("plan", "-o", o.output, inputs, l)) return exit_unusable;
    const std::optional<rule_set> rules = load_rule_set(o.common);
    if (!rules) return exit_unusable;

    planner p(*rules, po);
    const auto on_event = [&](std::size_t, const event& e) { p.add_state(e); };
    const auto on_reject = [&](rejection&& x) { p.add_state_rejection(std::move(x)); };
    if (!o.state.empty() && !read_inputs(o.state, "plan", *rules, o.input, on_event, on_reject, l)) return exit_unusable;

    const plan_format format = o.plan_format == "csv"    ? plan_format::csv
                               : o.plan_format == "json" ? plan_format::json
                                                         : plan_format::automatic;
    const auto unreadable = [&](int error) {
        fmt::print(stderr, "patuh plan: {}: P0103: {}\n", shown(o.plan_file), cannot_read(error).in(l));
        return exit_unusable;
    };
    std::ifstream file;
    if (o.plan_file != "-") {
        errno = 0;
        file.open(o.plan_file, std::ios::binary);
        if (!file) return unreadable(errno);
        file.exceptions(std::ios::badbit);  // a read error is thrown with its errno
    }
    std::istream& in = o.plan_file == "-" ? std::cin : file;
    plan_input plan;
    try {
        plan = read_plan(in, o.plan_file == "-" ? "<stdin>" : o.plan_file, *rules, format);
    } catch (const std::ios_base::failure& e) {
        return unreadable(system_errno(e.code()));
    }
    if (plan.fatal) {
        fmt::print(stderr, "patuh plan: {}:{}: {}: {}\n", shown(plan.fatal->source), plan.fatal->row,
                   plan.fatal->code, shown(plan.fatal->reason.in(l)));
        return exit_unusable;
    }
    const plan_result result = p.finish(std::move(plan));

    std::string text;
    if (o.format == "json") text = json_text(render_plan_json(result, *rules, l));
    else if (o.format == "markdown") text = render_plan_markdown(result, *rules, l);
    else text = render_plan_text(result, *rules, l);
    if (!write_output(text, o.output, "plan", l)) return exit_unusable;
    const bool trouble = !result.rejected.empty() || result.count(plan_verdict::blocked) > 0;
    return trouble ? exit_findings : exit_ok;
}

}  // namespace

command_runner add_plan(CLI::App& app, lang l) {
    auto o = std::make_shared<plan_options_cli>();
    CLI::App* sub = app.add_subcommand(
        "plan", tr(l, "Nilai rencana rotasi (CSV atau JSON) terhadap aturan dan keadaan saat ini",
                   "Judge a planned rotation (CSV or JSON) against the rules and the state"));
    sub->add_option("plan", o->plan_file,
                    tr(l, "Rencananya: CSV, larik JSON berisi perpindahan, atau JSON Lines (- untuk stdin)",
                       "The plan: CSV, a JSON array of moves, or JSON Lines (- for stdin)"))->required();
    sub->add_option("--state", o->state,
                    tr(l,
                       "Log peristiwa keadaan saat ini (JSON Lines, larik JSON atau CSV; - untuk stdin); ulangi untuk "
                       "beberapa log",
                       "An event log of the current state (JSON Lines, a JSON array or CSV; - for stdin); repeat it "
                       "for several"))
        ->allow_extra_args(false)
        ->take_all();
    sub->add_option("--plan-format", o->plan_format,
                    tr(l, "Cara membaca rencana: auto, csv atau json",
                       "How to read the plan: auto, csv or json"))
        ->check(CLI::IsMember({"auto", "csv", "json"}));
    sub->add_option("--format", o->format,
                    tr(l, "Bentuk laporan: text, json atau markdown",
                       "Report format: text, json or markdown"))
        ->check(CLI::IsMember({"text", "json", "markdown"}));
    sub->add_option("--today", o->today,
                    tr(l, "Hari rencana disusun, YYYY-MM-DD (bawaan: hari ini)",
                       "The day the plan is drawn up, YYYY-MM-DD (default: today)"));
    sub->add_flag("--assume-approved", o->assume_approved,
                  tr(l, "Tampilkan jabatan setelah semua persetujuan yang diperlukan tiba",
                     "Show the posts once every needed approval has arrived"));
    add_rules_option(sub, o->common, l);
    add_input_options(sub, o->input, l);
    add_language_options(sub, o->common, false, l);
    sub->add_option("-o,--output", o->output, tr(l, "Tulis laporan ke berkas ini", "Write the report to this file"));
    return [o]() { return run_plan(*o); };
}

}  // namespace patuh::cli
