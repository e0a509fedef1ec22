// patuh explain: why one event was or was not flagged.

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "common/support.hpp"

#include <patuh/explain.hpp>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <memory>

namespace patuh::cli {

namespace {

struct explain_options {
    common_options common;
    std::string id;
    std::vector<std::string> inputs;
    input_options input;
    std::string format = "text";
};

int run_explain(const explain_options& o) {
    const lang l = language(o.common);
    const std::optional<rule_set> rules = load_rule_set(o.common);
    if (!rules) return exit_unusable;
    explainer ex(*rules, o.id);
    const auto on_event = [&](std::size_t, const event& e) { ex.add(e); };
    const auto on_reject = [&](rejection&& r) { ex.add_rejected(std::move(r)); };
    if (!read_inputs(o.inputs, "explain", *rules, o.input, on_event, on_reject, l)) return exit_unusable;
    if (!ex.found()) {
        if (const std::optional<rejection>& target_rejected = ex.rejected())
            fmt::print(stderr, "patuh explain: {}\n",
                       trf(l, "peristiwa '{}' ditolak saat dibaca: {}:{}: {} {}",
                           "event '{}' was rejected when read: {}:{}: {} {}", o.id, shown(target_rejected->source),
                           target_rejected->line, target_rejected->code, shown(target_rejected->reason.in(l))));
        else
            fmt::print(stderr, "patuh explain: {}\n",
                       trf(l, "peristiwa '{}' tidak ditemukan", "no event with id '{}'", o.id));
        if (!ex.rejected())
            for (const rejection& end : ex.stopped_inputs())
                fmt::print(stderr, "patuh explain: {}\n",
                           trf(l, "{0} berhenti dibaca pada baris {1}; tidak ada yang dibaca sesudahnya: {0}:{1}: {2} {3}",
                               "{0} stopped at line {1}; nothing after it was read: {0}:{1}: {2} {3}", shown(end.source),
                               end.line, end.code, shown(end.reason.in(l))));
        return exit_unusable;
    }
    const explanation x = ex.finish();
    warn_date_order(x.out_of_date_order, l);
    warn_duplicates(x.duplicates, l);
    const std::string text = o.format == "json" ? json_text(render_explanation_json(x, *rules, l))
                                                : render_explanation_text(x, *rules, l);
    return write_output(text, "", "explain", l) ? exit_ok : exit_unusable;
}

}  // namespace

command_runner add_explain(CLI::App& app, lang l) {
    auto o = std::make_shared<explain_options>();
    CLI::App* sub = app.add_subcommand(
        "explain", tr(l, "Jelaskan mengapa satu peristiwa ditandai atau tidak",
                      "Explain why one event was or was not flagged"));
    sub->add_option("--event", o->id,
                    tr(l, "Peristiwa yang dijelaskan: id-nya, atau BERKAS:BARIS rekamannya",
                       "The event to explain: its id, or FILE:LINE of its record"))->required();
    sub->add_option("files", o->inputs,
                    tr(l, "Berkas peristiwa (JSON Lines, larik JSON atau CSV), atau - untuk stdin",
                       "Event files (JSON Lines, a JSON array or CSV), or - for stdin"))->required();
    sub->add_option("--format", o->format,
                    tr(l, "text atau json",
                       "text or json"))->check(CLI::IsMember({"text", "json"}));
    add_rules_option(sub, o->common, l);
    add_input_options(sub, o->input, l);
    add_language_options(sub, o->common, false, l);
    return [o]() { return run_explain(*o); };
}

}  // namespace patuh::cli
