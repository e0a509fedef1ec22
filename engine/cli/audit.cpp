// patuh audit: streams change logs through the engine and reports findings.

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "common/cpus.hpp"
#include "common/support.hpp"

#include <patuh/engine.hpp>
#include <patuh/event.hpp>
#include <patuh/report.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <fstream>
#include <memory>
#include <unistd.h>

namespace patuh::cli {

namespace {

unsigned default_threads() { return usable_cpus(); }

struct audit_options {
    common_options common;
    input_options input;
    std::vector<std::string> inputs;
    std::string format = "text";
    std::string as_of;
    std::string fail_on = "low";
    bool fail_on_rejected = false;  // --fail-on-rejected: exit 1 when a record is rejected
    std::string html_posts = "250";  // --html-posts: a number or "all"
    std::string csv_delimiter;       // --csv-delimiter: comma, semicolon or tab (CSV report only)
    std::size_t csv_rows_per_file = 0;  // --csv-rows-per-file: findings in each file of a CSV report; 0: one file
    std::string output;
    std::string rejects;  // --rejects: every rejected record, unchanged
    std::vector<std::string> regions;  // --region: report only these
    unsigned threads = default_threads();
};

int run_audit(const audit_options& o) {
    const lang l = language(o.common);
    engine_options eo;
    eo.history = o.format == "html";  // the HTML report draws each flagged post's timeline
    if (!parse_as_of(o.as_of, "audit", l, eo.as_of)) return exit_unusable;
    std::optional<severity> fail_on;
    if (o.fail_on != "none") {
        fail_on = parse_severity(o.fail_on);
        if (!fail_on) {
            fmt::print(stderr, "patuh audit: --fail-on '{}': {}\n", o.fail_on,
                       tr(l, "gunakan info, low, medium, high, critical atau none",
                          "use info, low, medium, high, critical or none"));
            return exit_unusable;
        }
    }
    html_options html;
    html.language = l;
    html.threads = o.threads;
    if (o.html_posts == "all") {
        html.post_sections = html_options::every_post;
    } else {
        const char* const end = o.html_posts.data() + o.html_posts.size();
        const auto [stop, ec] = std::from_chars(o.html_posts.data(), end, html.post_sections);
        if (o.html_posts.empty() || ec != std::errc() || stop != end) {
            fmt::print(stderr, "patuh audit: --html-posts '{}': {}\n", o.html_posts,
                       tr(l, "gunakan bilangan (0 atau lebih) atau all", "use a number (0 or more) or all"));
            return exit_unusable;
        }
    }
    const std::optional<char> delimiter = csv_delimiter(o.csv_delimiter, o.format, "audit", l);
    if (!delimiter) return exit_unusable;
    if (!csv_rows_usable(o.csv_rows_per_file, o.format, o.output, "audit", l)) return exit_unusable;
    const std::optional<rule_set> rules = load_rule_set(o.common);
    if (!rules) return exit_unusable;
    if (!known_regions(o.regions, "audit", {&*rules}, l)) return exit_unusable;
    eo.regions = o.regions;
    // The rejects file is emptied before the inputs are read, the report written over
    // what was read: neither may be an input, nor both the same file. An input named
    // twice is refused before either is written.
    if (refuse_repeated_input("audit", o.inputs, l) ||
        refuse_input_written_over("audit", "--rejects", o.rejects, o.inputs, l) ||
        refuse_input_written_over("audit", "-o", o.output, o.inputs, l))
        return exit_unusable;
    if (same_file_to_write(o.rejects, o.output)) {
        fmt::print(stderr, "patuh audit: --rejects '{}': {}\n", o.rejects,
                   tr(l, "berkas yang sama dengan -o; laporan akan menimpa rekaman yang ditolak",
                      "the same file as -o; the report would overwrite the rejected records"));
        return exit_unusable;
    }
    input_options input = o.input;
    input.limits.threads = o.threads;

    std::ofstream rejects_file;
    std::optional<rejects_writer> rejects;
    if (!o.rejects.empty()) {
        errno = 0;
        rejects_file.open(o.rejects, std::ios::binary);
        if (!rejects_file) {
            fmt::print(stderr, "patuh audit: {}: {}\n", shown(o.rejects), cannot_write(errno).in(l));
            return exit_unusable;
        }
        rejects.emplace(rejects_file);
    }

    int rejects_errno = 0;
    const auto on_rejected = [&](rejection& x) {
        if (!rejects) return;
        const bool was_good = static_cast<bool>(rejects_file);
        errno = 0;
        rejects->write(x);
        if (was_good && !rejects_file) rejects_errno = errno;  // the reason of the write that failed
        x.record = std::string();  // written; the report keeps only the first 4 KiB (raw)
    };
    std::optional<audit_report> audited =
        audit_inputs(o.inputs, "audit", *rules, eo, input, l, rejects ? &*rejects : nullptr, on_rejected);
    if (!audited) return exit_unusable;
    audit_report& report = *audited;
    report.regions = o.regions;
    warn_date_order(report.result.out_of_date_order, l);
    warn_duplicates(report.result.duplicates, l);

    const bool to_terminal = o.output.empty() && use_color(o.common, STDOUT_FILENO);
    if (o.format == "csv") {
        const auto write_part = [&](std::ostream& os, finding_range range, csv_row_place* place) {
            write_csv(os, report, *rules, l, o.threads, *delimiter, range, place);
        };
        if (!write_csv_report(write_part, report.result.findings.size(), o.csv_rows_per_file, o.output, o.inputs,
                              o.rejects, "audit", l))
            return exit_unusable;
    } else {
        const auto write_report = [&](std::ostream& os) {
            if (o.format == "json") write_json(os, report, *rules, l, o.threads);
            else if (o.format == "jsonl") write_jsonl(os, report, *rules, l, o.threads);
            else if (o.format == "html") write_html(os, report, *rules, html);
            else write_text(os, report, *rules, {l, to_terminal, o.threads});
        };
        if (!write_output(write_report, o.output, "audit", l)) return exit_unusable;
    }
    if (rejects) {
        // Some rejected records are missing from the rejects file: the run did not keep its promise.
        const bool was_good = static_cast<bool>(rejects_file);
        errno = 0;
        rejects_file.close();
        if (was_good && !rejects_file) rejects_errno = errno;
        if (rejects->error() || !rejects_file) {
            fmt::print(stderr, "patuh audit: {}: {}\n", shown(o.rejects),
                       rejects->error() ? rejects->error()->in(l) : cannot_write(rejects_errno).in(l));
            return exit_unusable;
        }
    }
    if (o.fail_on_rejected && report.rejected_count > 0) return exit_findings;
    if (!fail_on) return exit_ok;
    const finding_list& found = report.result.findings;
    for (std::size_t i = 0; i < found.size(); ++i)
        if (found.sev(i) >= *fail_on) return exit_findings;
    return exit_ok;
}

}  // namespace

command_runner add_audit(CLI::App& app, lang l) {
    auto o = std::make_shared<audit_options>();
    CLI::App* sub = app.add_subcommand(
        "audit", tr(l, "Periksa log perubahan (JSON Lines, larik JSON atau ekspor CSV, dengan gzip atau tidak; - "
                       "untuk stdin)",
                    "Audit change logs (JSON Lines, a JSON array or a CSV export, gzip or not; - for stdin)"));
    sub->add_option("files", o->inputs, tr(l, "Berkas peristiwa", "Event files"))->required();
    add_rules_option(sub, o->common, l);
    add_input_options(sub, o->input, l);
    sub->add_option("--format", o->format,
                    tr(l, "Bentuk laporan: text, json, jsonl, csv atau html",
                       "Report format: text, json, jsonl, csv or html"))
        ->check(CLI::IsMember({"text", "json", "jsonl", "csv", "html"}));
    sub->add_option("--as-of", o->as_of,
                    tr(l, "Tanggal laporan YYYY-MM-DD (bawaan: tanggal peristiwa terakhir)",
                       "Report date YYYY-MM-DD (default: the latest event date)"));
    sub->add_option("--region", o->regions,
                    tr(l,
                       "Laporkan wilayah ini saja; kode provinsi (73) mencakup kabupaten dan kotanya (73.01, 73.71). "
                       "Dapat diulang. Semua peristiwa tetap dinilai",
                       "Report only this region; a province code (73) takes in its kabupaten and kota (73.01, 73.71). "
                       "Repeatable. Every event is still judged"))
        ->allow_extra_args(false)
        ->take_all();
    sub->add_option("--fail-on", o->fail_on,
                    tr(l,
                       "Keluar dengan kode 1 bila ada temuan pada tingkat ini atau di atasnya: info, low, medium, "
                       "high, critical, none (bawaan: low)",
                       "Exit 1 when a finding is at or above: info, low, medium, high, critical, none (default: low)"));
    sub->add_flag("--fail-on-rejected", o->fail_on_rejected,
                  tr(l,
                     "Keluar dengan kode 1 juga bila ada rekaman yang ditolak (oleh pembacanya, atau karena "
                     "tempatnya dalam log)",
                     "Exit 1 also when a record was rejected (by its reader, or refused for its place in the log)"));
    sub->add_option("--html-posts", o->html_posts,
                    tr(l,
                       "Laporan HTML: berapa jabatan bertemuan yang mendapat bagian berisi linimasa dan temuannya, "
                       "wilayah terburuk dahulu: bilangan atau all (bawaan: 250). Setiap jabatan bertemuan menjadi "
                       "baris tabel jabatan",
                       "HTML report: how many flagged posts get a section with their timeline and findings, regions "
                       "worst first: a number or all (default: 250). Every flagged post is a row of the posts' "
                       "table"));
    sub->add_option("--csv-delimiter", o->csv_delimiter,
                    tr(l,
                       "Laporan CSV: comma (bawaan), semicolon (Excel yang pemisah daftarnya ';', seperti pada "
                       "pengaturan wilayah Indonesia) atau tab",
                       "CSV report: comma (default), semicolon (Excel where the list separator is ';', as in "
                       "Indonesian regional settings) or tab"))
        ->check(CLI::IsMember({"comma", "semicolon", "tab"}));
    add_csv_rows_option(sub, o->csv_rows_per_file, l);
    add_language_options(sub, o->common, true, l);
    sub->add_option("-o,--output", o->output, tr(l, "Tulis laporan ke berkas ini", "Write the report to this file"));
    sub->add_option("--rejects", o->rejects,
                    tr(l,
                       "Tulis setiap rekaman yang ditolak, tanpa diubah, ke berkas ini (JSON Lines, atau CSV di bawah "
                       "baris judulnya)",
                       "Write every rejected record, unchanged, to this file (JSON Lines, or CSV under its header "
                       "line)"));
    sub->add_option("--threads", o->threads,
                    tr(l,
                       "Utas untuk membaca JSON Lines, membaca ekspor CSV atau larik JSON di samping penilaian, dan "
                       "menulis laporan (bawaan: inti yang boleh dipakai proses ini: afinitas CPU dan kuota control "
                       "group-nya); laporannya sama untuk berapa pun jumlahnya",
                       "Threads for reading JSON Lines, reading a CSV export or JSON array beside the judging, and "
                       "writing the report (default: the cores this process may use: its CPU affinity and control "
                       "group quota); the report is the same for any number"))
        ->check(CLI::Range(1u, 256u));
    return [o]() { return run_audit(*o); };
}

}  // namespace patuh::cli
