// patuh impact: the effect of a draft rule set on a log, against the rules in force.

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "common/cpus.hpp"
#include "common/support.hpp"

#include <patuh/impact.hpp>

#include <fmt/core.h>

#include <unistd.h>

namespace patuh::cli {

namespace {

struct impact_options_cli {
    common_options common;  // --rules: the rules in force
    std::vector<std::string> draft;
    input_options input;
    std::vector<std::string> inputs;
    std::string format = "text";
    std::string as_of;
    std::vector<std::string> regions;
    std::string output;
    std::string csv_delimiter;  // --csv-delimiter: comma, semicolon or tab (CSV report only)
    std::size_t csv_rows_per_file = 0;  // --csv-rows-per-file: rows in each file of a CSV report; 0: one file
    unsigned threads = usable_cpus();
};

int run_impact(const impact_options_cli& o) {
    const lang l = language(o.common);
    engine_options eo;
    if (!parse_as_of(o.as_of, "impact", l, eo.as_of)) return exit_unusable;
    const std::optional<char> delimiter = csv_delimiter(o.csv_delimiter, o.format, "impact", l);
    if (!delimiter || !csv_rows_usable(o.csv_rows_per_file, o.format, o.output, "impact", l)) return exit_unusable;
    for (const std::string& name : o.inputs) {
        if (name != "-") continue;
        fmt::print(stderr, "patuh impact: -: {}\n",
                   tr(l, "log dibaca sekali untuk tiap kumpulan aturan: berikan berkas, bukan masukan standar",
                      "the log is read once for each rule set: give files, not standard input"));
        return exit_unusable;
    }
    if (refuse_repeated_input("impact", o.inputs, l) || refuse_input_written_over("impact", "-o", o.output, o.inputs, l))
        return exit_unusable;
    const std::optional<rule_set> in_force_rules = load_rule_set(o.common);
    if (!in_force_rules) return exit_unusable;
    common_options draft_common = o.common;
    draft_common.rules = o.draft;
    const std::optional<rule_set> draft_rules = load_rule_set(draft_common, true);
    if (!draft_rules) return exit_unusable;
    if (!known_regions(o.regions, "impact", {&*in_force_rules, &*draft_rules}, l)) return exit_unusable;
    eo.regions = o.regions;
    input_options input = o.input;
    input.limits.threads = o.threads;

    input.progress_note = tr(l, " (aturan yang berlaku)", " (rules in force)");
    std::optional<audit_report> in_force = audit_inputs(o.inputs, "impact", *in_force_rules, eo, input, l);
    if (!in_force) return exit_unusable;
    warn_date_order(in_force->result.out_of_date_order, l);
    warn_duplicates(in_force->result.duplicates, l);
    // Both reports are made as of one day: the one given, or the in-force report's.
    if (!eo.as_of && in_force->result.as_of_known) eo.as_of = in_force->result.as_of;
    input.progress_note = tr(l, " (rancangan)", " (draft)");
    std::optional<audit_report> draft = audit_inputs(o.inputs, "impact", *draft_rules, eo, input, l);
    if (!draft) return exit_unusable;
    in_force->regions = draft->regions = o.regions;

    const impact found = compare_audits(*in_force, *in_force_rules, *draft, *draft_rules);
    const impact_side a{*in_force, *in_force_rules, o.common.rules};
    const impact_side b{*draft, *draft_rules, o.draft};
    const bool to_terminal = o.output.empty() && use_color(o.common, STDOUT_FILENO);
    if (o.format == "csv") {
        const auto write_part = [&](std::ostream& os, finding_range range, csv_row_place* place) {
            write_impact_csv(os, found, a, b, l, *delimiter, range, place);
        };
        if (!write_csv_report(write_part, impact_csv_rows(found), o.csv_rows_per_file, o.output, o.inputs, {},
                              "impact", l))
            return exit_unusable;
    } else {
        const auto write_report = [&](std::ostream& os) {
            if (o.format == "json") write_impact_json(os, found, a, b, l);
            else write_impact_text(os, found, a, b, {l, to_terminal});
        };
        if (!write_output(write_report, o.output, "impact", l)) return exit_unusable;
    }
    return found.any() ? exit_findings : exit_ok;
}

}  // namespace

command_runner add_impact(CLI::App& app, lang l) {
    auto o = std::make_shared<impact_options_cli>();
    CLI::App* sub = app.add_subcommand(
        "impact", tr(l,
                     "Bandingkan temuan rancangan aturan dengan temuan aturan yang berlaku pada log perubahan yang "
                     "sama",
                     "Compare the findings of draft rules with those of the rules in force on the same change logs"));
    sub->add_option("files", o->inputs,
                    tr(l, "Berkas peristiwa (dibaca sekali untuk tiap kumpulan aturan)",
                       "Event files (read once for each rule set)"))->required();
    sub->add_option("--rules", o->common.rules,
                    tr(l,
                       "Berkas atau folder aturan yang berlaku (bawaan: aturan yang dibawa patuh); ulangi untuk lebih "
                       "dari satu",
                       "Rule files or folders in force (default: the shipped rules); repeat for more than one"))
        ->allow_extra_args(false)
        ->take_all();
    sub->add_option("--draft", o->draft,
                    tr(l, "Berkas atau folder aturan rancangan; ulangi untuk lebih dari satu",
                       "Rule files or folders of the draft; repeat for more than one"))
        ->required()
        ->allow_extra_args(false)
        ->take_all();
    add_rule_limits(sub, o->common, l);
    add_input_options(sub, o->input, l);
    sub->add_option("--format", o->format,
                    tr(l, "Bentuk laporan: text, json atau csv",
                       "Report format: text, json or csv"))
        ->check(CLI::IsMember({"text", "json", "csv"}));
    sub->add_option("--csv-delimiter", o->csv_delimiter,
                    tr(l, "Laporan CSV: comma (bawaan), semicolon (Excel dengan pengaturan wilayah Indonesia) atau tab",
                       "CSV report: comma (default), semicolon (Excel with Indonesian regional settings) or tab"))
        ->check(CLI::IsMember({"comma", "semicolon", "tab"}));
    add_csv_rows_option(sub, o->csv_rows_per_file, l);
    sub->add_option("--as-of", o->as_of,
                    tr(l,
                       "Tanggal laporan YYYY-MM-DD (bawaan: tanggal peristiwa terakhir yang dinilai dengan aturan yang "
                       "berlaku)",
                       "Report date YYYY-MM-DD (default: the latest event date judged with the rules in force)"));
    sub->add_option("--region", o->regions,
                    tr(l,
                       "Bandingkan wilayah ini saja; kode provinsi (73) mencakup kabupaten dan kotanya. Dapat "
                       "diulang",
                       "Compare only this region; a province code (73) takes in its kabupaten and kota. Repeatable"))
        ->allow_extra_args(false)
        ->take_all();
    add_language_options(sub, o->common, true, l);
    sub->add_option("-o,--output", o->output, tr(l, "Tulis laporan ke berkas ini", "Write the report to this file"));
    sub->add_option("--threads", o->threads,
                    tr(l, "Utas untuk membaca log (bawaan: inti yang boleh dipakai proses ini)",
                       "Threads for reading the logs (default: the cores this process may use)"))
        ->check(CLI::Range(1u, 256u));
    return [o]() { return run_impact(*o); };
}

}  // namespace patuh::cli
