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
#include <filesystem>
#include <fstream>
#include <memory>
#include <unistd.h>

namespace patuh::cli {

namespace {

// Whether two files to be written are one regular file (existing or not yet).
bool same_file_to_write(const std::string& a, const std::string& b) {
    if (a.empty() || b.empty()) return false;
    std::error_code ec;
    for (const std::string* path : {&a, &b})
        if (std::filesystem::exists(*path, ec) && !std::filesystem::is_regular_file(*path, ec)) return false;
    const auto resolved = [&ec](const std::string& path) {
        return std::filesystem::weakly_canonical(std::filesystem::absolute(path, ec), ec);
    };
    const std::filesystem::path x = resolved(a);
    if (ec) return false;
    const std::filesystem::path y = resolved(b);
    return !ec && x == y;
}

unsigned default_threads() { return usable_cpus(); }

// The file of part `k` (from 1) of a CSV report split into files: the first
// is `output` itself, the next ones "findings-2.csv", "findings-3.csv", ...
std::string csv_part_path(const std::string& output, std::size_t k) {
    if (k == 1) return output;
    const std::filesystem::path path(output);
    const std::string name = fmt::format("{}-{}{}", path.stem().string(), k, path.extension().string());
    return (path.parent_path() / name).string();
}

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
    if (o.csv_rows_per_file != 0 && (o.format != "csv" || o.output.empty())) {
        fmt::print(stderr, "patuh audit: --csv-rows-per-file: {}\n",
                   o.format != "csv" ? tr(l, "hanya untuk --format csv", "only for --format csv")
                                     : tr(l, "perlu -o: berkas-berkasnya diberi nama menurut berkas itu "
                                             "(temuan.csv, temuan-2.csv, ...)",
                                          "needs -o: the files are named after it (findings.csv, findings-2.csv, ...)"));
        return exit_unusable;
    }
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
    const std::size_t found_count = report.result.findings.size();
    if (o.csv_rows_per_file != 0) {
        // A CSV report in files of at most csv_rows_per_file findings, each with its header.
        const std::size_t parts = std::max<std::size_t>(1, (found_count + o.csv_rows_per_file - 1) / o.csv_rows_per_file);
        for (std::size_t k = 2; k <= parts; ++k) {
            const std::string path = csv_part_path(o.output, k);
            const bool over_input = input_written_over(path, o.inputs).has_value();
            if (over_input || same_file_to_write(o.rejects, path)) {
                fmt::print(stderr, "patuh audit: --csv-rows-per-file: {}\n",
                           over_input ? trf(l,
                                            "bagian {} laporan, '{}', juga dibaca sebagai masukan; isinya akan hilang, "
                                            "tulislah ke berkas lain",
                                            "part {} of the report, '{}', is also an input; its contents would be "
                                            "lost, write to another file",
                                            k, path)
                                      : trf(l,
                                            "bagian {} laporan, '{}', adalah berkas --rejects; laporan akan menimpa "
                                            "rekaman yang ditolak",
                                            "part {} of the report, '{}', is the --rejects file; the report would "
                                            "overwrite the rejected records",
                                            k, path));
                return exit_unusable;
            }
        }
        std::vector<std::string> written;
        for (std::size_t k = 1; k <= parts; ++k) {
            const finding_range range{(k - 1) * o.csv_rows_per_file, o.csv_rows_per_file};
            written.push_back(csv_part_path(o.output, k));
            const auto write_part = [&](std::ostream& os) {
                write_csv(os, report, *rules, l, o.threads, *delimiter, range);
            };
            if (!write_output(write_part, written.back(), "audit", l)) return exit_unusable;
        }
        if (parts > 1) {
            std::string names;
            for (const std::string& name : written) names += (names.empty() ? "" : ", ") + shown(name);
            fmt::print(stderr, "patuh audit: {}\n",
                       trf(l, "{} temuan dalam {} berkas CSV, paling banyak {} per berkas: {}",
                           "{} findings in {} CSV files, at most {} a file: {}", found_count, parts,
                           o.csv_rows_per_file, names));
        }
        // A part an earlier run wrote after the last of these is not part of this report.
        const std::string next = csv_part_path(o.output, parts + 1);
        std::error_code ec;
        if (std::filesystem::exists(next, ec))
            fmt::print(stderr, "patuh audit: {}: {}\n", shown(next),
                       tr(l, "dari laporan sebelumnya, bukan bagian laporan ini",
                          "from an earlier report, not a part of this one"));
    } else {
        csv_row_place hidden{spreadsheet_rows, 0};
        const auto write_report = [&](std::ostream& os) {
            if (o.format == "json") write_json(os, report, *rules, l, o.threads);
            else if (o.format == "jsonl") write_jsonl(os, report, *rules, l, o.threads);
            else if (o.format == "csv") write_csv(os, report, *rules, l, o.threads, *delimiter, {}, &hidden);
            else if (o.format == "html") write_html(os, report, *rules, html);
            else write_text(os, report, *rules, {l, to_terminal, o.threads});
        };
        if (!write_output(write_report, o.output, "audit", l)) return exit_unusable;
        if (o.format == "csv" && hidden.line != 0) warn_spreadsheet_overflow(found_count, o.output, hidden.line, l);
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

command_runner add_audit(CLI::App& app) {
    auto o = std::make_shared<audit_options>();
    CLI::App* sub = app.add_subcommand("audit", "Audit change logs (JSON Lines, a JSON array or a CSV export, gzip or not; - for stdin)");
    sub->add_option("files", o->inputs, "Event files")->required();
    add_rules_option(sub, o->common);
    add_input_options(sub, o->input);
    sub->add_option("--format", o->format, "Report format: text, json, jsonl, csv or html")
        ->check(CLI::IsMember({"text", "json", "jsonl", "csv", "html"}));
    sub->add_option("--as-of", o->as_of, "Report date YYYY-MM-DD (default: the latest event date)");
    sub->add_option("--region", o->regions,
                    "Report only this region; a province code (73) takes in its kabupaten and kota (73.01, 73.71). "
                    "Repeatable. Every event is still judged")
        ->allow_extra_args(false)
        ->take_all();
    sub->add_option("--fail-on", o->fail_on,
                    "Exit 1 when a finding is at or above: info, low, medium, high, critical, none (default: low)");
    sub->add_flag("--fail-on-rejected", o->fail_on_rejected,
                  "Exit 1 also when a record was rejected (by its reader, or refused for its place in the log)");
    sub->add_option("--html-posts", o->html_posts,
                    "HTML report: how many flagged posts get a section with their timeline and findings, regions "
                    "worst first: a number or all (default: 250). Every flagged post is a row of the posts' table");
    sub->add_option("--csv-delimiter", o->csv_delimiter,
                    "CSV report: comma (default), semicolon (Excel where the list separator is ';', as in "
                    "Indonesian regional settings) or tab")
        ->check(CLI::IsMember({"comma", "semicolon", "tab"}));
    sub->add_option("--csv-rows-per-file", o->csv_rows_per_file,
                    "CSV report: at most N findings in each file, each with the header row; needs -o, whose name "
                    "the next files take with -2, -3, ... before the extension (findings-2.csv); 1048575: files a "
                    "spreadsheet opens whole")
        ->check(CLI::Range(std::size_t{1}, std::size_t{spreadsheet_rows - 1}));
    add_language_options(sub, o->common, true);
    sub->add_option("-o,--output", o->output, "Write the report to this file");
    sub->add_option("--rejects", o->rejects,
                    "Write every rejected record, unchanged, to this file (JSON Lines, or CSV under its header line)");
    sub->add_option("--threads", o->threads,
                    "Threads for reading JSON Lines, reading a CSV export or JSON array beside the judging, and writing the report (default: the cores this process may use: its CPU affinity and control group quota); the report is the same for any number")
        ->check(CLI::Range(1u, 256u))
        ->capture_default_str();
    return [o]() { return run_audit(*o); };
}

}  // namespace patuh::cli
