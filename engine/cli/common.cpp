#include "cli/common.hpp"
#include "common/support.hpp"
#include "common/temporary_file.hpp"
#include "io/event_sort.hpp"

#include <nlohmann/json.hpp>

#include <patuh/input.hpp>
#include <patuh/parse.hpp>
#include <patuh/report.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace patuh::cli {

lang language(const common_options& o) {
    if (const auto l = parse_lang(o.lang_text)) return *l;
    return lang_from_environment();
}

bool use_color(const common_options& o, int fd) {
    if (o.color == "always") return true;
    if (o.color == "never") return false;
    const char* no_color = std::getenv("NO_COLOR");
    const char* term = std::getenv("TERM");
    if (no_color != nullptr && *no_color != '\0') return false;
    if (term != nullptr && std::string_view(term) == "dumb") return false;
    return isatty(fd) == 1;
}

std::string json_text(const nlohmann::json& document) {
    return document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

void add_rule_limits(CLI::App* sub, common_options& o, lang l) {
    sub->add_option("--max-file-bytes", o.limits.max_file_bytes,
                    tr(l, "Berkas aturan terbesar yang diterima, dalam bita",
                       "Largest rule file accepted, in bytes"))
        ->capture_default_str();
    sub->add_option("--max-line-bytes", o.limits.max_line_bytes,
                    tr(l, "Baris terpanjang sebuah berkas aturan, dalam bita",
                       "Longest line of a rule file, in bytes"))
        ->capture_default_str();
    sub->add_option("--max-rule-files", o.limits.max_files,
                    tr(l, "Berkas terbanyak dalam satu kumpulan aturan, termasuk yang di-include",
                       "Most files in one rule set, includes counted"))
        ->capture_default_str();
}

void add_rules_option(CLI::App* sub, common_options& o, lang l) {
    sub->add_option("--rules", o.rules,
                    tr(l, "Berkas atau folder aturan (bawaan: aturan yang dibawa patuh); ulangi untuk lebih dari satu",
                       "Rule files or folders (default: the shipped rules); repeat for more than one"))
        ->allow_extra_args(false)
        ->take_all();
    add_rule_limits(sub, o, l);
}

void add_language_options(CLI::App* sub, common_options& o, bool color, lang l) {
    sub->add_option("--lang", o.lang_text,
                    tr(l, "Bahasa pesan: id atau en (bawaan: dari locale)",
                       "Language of messages: id or en (default: from the locale)"))
        ->check(CLI::IsMember({"id", "en"}));
    if (color)
        sub->add_option("--color", o.color, tr(l, "Warna: auto, always atau never", "Colour: auto, always or never"))
            ->check(CLI::IsMember({"auto", "always", "never"}));
}

void add_input_options(CLI::App* sub, input_options& o, lang l) {
    sub->add_option("--input-format", o.format,
                    tr(l,
                       "Cara membaca berkas peristiwa: auto (CSV untuk .csv dan .csv.gz, selain itu JSON menurut "
                       "isinya), json, jsonl atau csv",
                       "How to read event files: auto (CSV for .csv and .csv.gz, else JSON by content), json, jsonl "
                       "or csv"))
        ->check(CLI::IsMember({"auto", "json", "jsonl", "csv"}));
    sub->add_option("--mapping", o.mapping,
                    tr(l, "Berkas pemetaan kolom CSV (JSON, docs/csv-import.md)",
                       "CSV column-mapping file (JSON, docs/csv-import.md)"));
    CLI::Option* on = sub->add_flag("--progress", o.progress,
                                    tr(l, "Tampilkan kemajuan di stderr meskipun bukan terminal",
                                       "Show progress on stderr even when it is not a terminal"));
    sub->add_flag("--no-progress", o.no_progress,
                  tr(l, "Jangan tampilkan kemajuan (bawaan: hanya bila stderr adalah terminal)",
                     "Never show progress (default: only when stderr is a terminal)"))
        ->excludes(on);
    sub->add_option("--max-record-bytes", o.limits.max_record_bytes,
                    tr(l, "Rekaman peristiwa terbesar yang diterima, dalam bita",
                       "Largest event record accepted, in bytes"))
        ->capture_default_str();
    sub->add_option("--max-depth", o.limits.max_depth,
                    tr(l, "Sarang JSON terdalam sebuah rekaman peristiwa",
                       "Deepest JSON nesting of an event record"))
        ->capture_default_str();
    CLI::Option* sort = sub->add_flag(
        "--sort", o.sort,
        tr(l,
           "Nilai peristiwa menurut urutan tanggal (yang sehari menurut urutan dibaca) bila berkasnya diurutkan "
           "dengan cara lain: per wilayah, per orang, atau ekspor beberapa wilayah berturut-turut. Menyimpan "
           "potongan terurut dalam berkas sementara ($TMPDIR, selain itu /tmp) sekitar separuh ukuran log",
           "Judge the events in date order (those of one day in the order read) when the files are sorted another "
           "way: by region, by person, or exports of several regions one after the other. Keeps sorted runs in a "
           "temporary file ($TMPDIR, else /tmp) of about half the log's size"));
    sub->add_option("--sort-memory", o.sort_memory,
                    tr(l,
                       "Dengan --sort: memori untuk peristiwa yang diurutkan sekaligus (8M: log sampai sekitar "
                       "45.000 peristiwa tidak memerlukan berkas sementara; paling banyak 2G); K, M dan G adalah "
                       "satuan 1024",
                       "With --sort: memory for the events sorted at a time (8M: a log up to about 45,000 events "
                       "needs no temporary file; at most 2G); K, M and G are units of 1024"))
        ->transform(CLI::AsSizeValue(false))
        ->check(CLI::Range(std::size_t{1} << 10, std::size_t{1} << 31))
        ->default_str("8M")
        ->needs(sort);
}

namespace {

// Why the temporary file of --sort failed: "cannot write the temporary file
// in /tmp: no space left on device (TMPDIR chooses its folder)".
std::string sort_file_problem(const sort_file_error& e, lang l) {
    const std::string dir = shown(temporary_directory());
    std::string what;
    switch (e.failed) {
    case sort_file_error::step::make:
        what = trf(l, "berkas sementara tidak dapat dibuat di {}", "cannot make a temporary file in {}", dir);
        break;
    case sort_file_error::step::write:
        what = trf(l, "berkas sementara di {} tidak dapat ditulis", "cannot write the temporary file in {}", dir);
        break;
    case sort_file_error::step::read:
        what = trf(l, "berkas sementara di {} tidak dapat dibaca", "cannot read the temporary file in {}", dir);
        break;
    }
    return fmt::format("{}: {} ({})", what, io_reason(e.code().value()).in(l),
                       tr(l, "TMPDIR menentukan foldernya", "TMPDIR chooses its folder"));
}

// The mapping file named by --mapping, or nothing after reporting why it cannot be used.
std::optional<csv_mapping> load_mapping(const std::string& path, std::string_view command, lang l) {
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    // A mapping is a few dozen lines: a larger file is read no further (the
    // export itself given as the mapping, say).
    constexpr std::size_t max_mapping_bytes = 1 << 20;
    std::string text;
    int error = errno;
    bool readable = static_cast<bool>(in);
    if (readable) {
        in.exceptions(std::ios::badbit);  // a read error is thrown with its errno
        try {
            text = read_at_most(in, max_mapping_bytes);
        } catch (const std::ios_base::failure& e) {
            error = system_errno(e.code());
            readable = false;
        }
    }
    if (!readable) {
        fmt::print(stderr, "patuh {}: {}: M0106: {}\n", command, shown(path), cannot_read(error).in(l));
        return std::nullopt;
    }
    mapping_error why;
    std::optional<csv_mapping> mapping;
    if (text.size() > max_mapping_bytes) {
        why.code = "M0105";
        why.reason = {fmt::format("berkas pemetaan lebih besar dari {} bita; apakah ini berkas ekspornya?", max_mapping_bytes),
                      fmt::format("the mapping file is larger than {} bytes; is it the export itself?", max_mapping_bytes)};
    } else {
        mapping = parse_csv_mapping(text, why);
    }
    if (!mapping)
        fmt::print(stderr, "patuh {}: {}:{}:{}: {}: {}\n", command, path, why.line, why.column, why.code, why.reason.in(l));
    return mapping;
}

// The size of a regular file (for progress), or nothing (a pipe, a terminal).
std::optional<std::uint64_t> size_of(int fd) {
    struct stat st {};
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
    return static_cast<std::uint64_t>(st.st_size);
}

}  // namespace

std::optional<std::uint64_t> read_inputs(const std::vector<std::string>& names, std::string_view command,
                                         const rule_set& rules, const input_options& o,
                                         const input_event_sink& on_event, const rejection_sink& on_reject, lang l,
                                         rejects_writer* rejects, const input_read& on_input_read) {
    if (refuse_repeated_input(command, names, l)) return std::nullopt;
    input_settings settings;
    settings.format = o.format == "json"    ? input_format::json
                      : o.format == "jsonl" ? input_format::jsonl
                      : o.format == "csv"   ? input_format::csv
                                            : input_format::automatic;
    settings.limits = o.limits;
    settings.limits.keep_records = rejects != nullptr;
    settings.rejects = rejects;
    std::optional<csv_mapping> mapping;
    if (!o.mapping.empty()) {
        mapping = load_mapping(o.mapping, command, l);
        if (!mapping) return std::nullopt;
        settings.mapping = &*mapping;
    }
    const std::optional<bool> forced = o.progress ? std::optional<bool>(true)
                                       : o.no_progress ? std::optional<bool>(false)
                                                       : std::nullopt;
    progress_meter progress(stderr, progress_wanted(STDERR_FILENO, forced), l);
    progress.note(o.progress_note);
    settings.progress = &progress;
    std::uint64_t read = 0;
    std::size_t reading = 0;  // the input being read
    std::optional<event_sorter> sorter;
    if (o.sort) sorter.emplace(o.sort_memory);
    // With --sort the events wait in the sorter until every input is read.
    const event_sink each = sorter
        ? event_sink([&](const event& e) { sorter->add(e, static_cast<std::uint32_t>(reading)); })
        : event_sink([&](const event& e) { on_event(reading, e); });
    const auto sort_failed = [&](const sort_file_error& e) {
        progress.finish();
        fmt::print(stderr, "patuh {}: --sort: {}\n", command, sort_file_problem(e, l));
        return false;
    };
    const auto done = [&](std::size_t index, const read_counts& counts) {
        read += counts.read;
        if (on_input_read) on_input_read(index, counts);
    };
    // Reads one input; false, with the message given, when it cannot be read.
    const auto read_one = [&](std::size_t index, std::istream& in, const std::string& name,
                              std::optional<std::uint64_t> size) {
        const auto stop = [&](const std::string& why) {
            progress.finish();
            fmt::print(stderr, "patuh {}: {}: {}\n", command, shown(name), why);
            return false;
        };
        try {
            done(index, read_input(in, name, size, rules, each, on_reject, settings));
        } catch (const sort_file_error& e) {
            return sort_failed(e);
        } catch (const foreign_input& e) {
            return stop(e.reason.in(l));
        } catch (const std::ios_base::failure& e) {
            // The file stopped being readable part way (an I/O error of the device, say).
            return stop(cannot_read(system_errno(e.code())).in(l));
        }
        return true;
    };
    for (std::size_t index = 0; index < names.size(); ++index) {
        reading = index;
        const std::string& name = names[index];
        if (name == "-") {
            if (!read_one(index, std::cin, "<stdin>", size_of(STDIN_FILENO))) return std::nullopt;
            continue;
        }
        std::error_code ec;
        if (std::filesystem::is_directory(name, ec)) {
            // A folder opens like a file and reads as nothing (or as an error without its name).
            progress.finish();
            fmt::print(stderr, "patuh {}: {}: {}\n", command, name,
                       tr(l, "ini folder, bukan berkas", "this is a folder, not a file"));
            return std::nullopt;
        }
        errno = 0;
        std::ifstream in(name, std::ios::binary);
        if (!in) {
            const int error = errno;
            progress.finish();
            fmt::print(stderr, "patuh {}: {}: {}\n", command, shown(name), cannot_read(error).in(l));
            return std::nullopt;
        }
        std::optional<std::uint64_t> size;
        if (std::filesystem::is_regular_file(name, ec))
            if (const std::uint64_t n = std::filesystem::file_size(name, ec); !ec) size = n;
        if (!read_one(index, in, name, size)) return std::nullopt;
    }
    if (sorter) {
        progress.restart(tr(l, "peristiwa terurut (--sort)", "the sorted events (--sort)"), sorter->size());
        try {
            sorter->drain([&](std::uint32_t index, const event& e) {
                progress.record();
                on_event(index, e);
            });
            progress.finish();
        } catch (const sort_file_error& e) {
            sort_failed(e);
            return std::nullopt;
        }
    }
    return read;
}

std::optional<audit_report> audit_inputs(const std::vector<std::string>& inputs, std::string_view command,
                                         const rule_set& rules, const engine_options& options,
                                         const input_options& input, lang l, rejects_writer* rejects,
                                         const std::function<void(rejection&)>& on_rejected) {
    audit_report report;
    auto eng = std::make_unique<engine>(rules, options);
    input_tally tally(inputs);  // what each input gave
    std::size_t reading = 0;    // the input being read: the reader's rejections are its
    const auto reject = [&](std::size_t index, rejection&& x) {
        ++report.rejected_count;
        tally.rejected(index, x);
        if (on_rejected) on_rejected(x);
        report.rejected.push_back(std::move(x));
    };
    const auto on_reject = [&](rejection&& x) { reject(reading, std::move(x)); };
    const auto on_event = [&](std::size_t index, const event& e) {
        rejection why;
        if (tally.judge(*eng, index, e, why)) return;
        why.record = e.record;  // the engine refused it: the record as read, for the rejects file
        reject(index, std::move(why));
    };
    const auto on_input_read = [&](std::size_t index, const read_counts& counts) {
        tally.input_read(index, counts.read);
        reading = index + 1;
    };
    report.inputs = inputs;
    const std::optional<std::uint64_t> read =
        read_inputs(inputs, command, rules, input, on_event, on_reject, l, rejects, on_input_read);
    if (!read) return std::nullopt;
    report.read = *read;
    report.per_input = tally.inputs();
    report.result = eng->finish();
    return report;
}

namespace {

// What `name` ("-": standard input) is on disk, when it can be told.
std::optional<struct stat> file_identity(const std::string& name) {
    struct stat st {};
    if ((name == "-" ? fstat(STDIN_FILENO, &st) : stat(name.c_str(), &st)) != 0) return std::nullopt;
    return st;
}

std::string shown_input(const std::string& name) { return name == "-" ? std::string("<stdin>") : name; }

}  // namespace

std::optional<repeated> repeated_input(const std::vector<std::string>& inputs) {
    std::vector<std::pair<const std::string*, struct stat>> seen;
    for (const std::string& name : inputs) {
        // A name that cannot be opened, or a folder, is reported as such when it is read.
        const std::optional<struct stat> st = file_identity(name);
        if (!st || S_ISDIR(st->st_mode)) continue;
        for (const auto& [earlier, other] : seen)
            if (other.st_dev == st->st_dev && other.st_ino == st->st_ino) return repeated{*earlier, name};
        seen.emplace_back(&name, *st);
    }
    return std::nullopt;
}

bool refuse_repeated_input(std::string_view command, const std::vector<std::string>& inputs, lang l) {
    const std::optional<repeated> twice = repeated_input(inputs);
    if (!twice) return false;
    const std::string message =
        twice->first == twice->again
            ? std::string(tr(l, "berkas ini disebut dua kali sebagai masukan; rekamannya akan dibaca dua kali. "
                                "Sebutkan setiap berkas sekali saja",
                             "this file is named twice as an input; its records would be read twice. Name each "
                             "file once"))
            : trf(l,
                  "berkas yang sama dengan masukan '{}' sebelumnya; rekamannya akan dibaca dua kali. Sebutkan setiap "
                  "berkas sekali saja",
                  "the same file as the input '{}' before it; its records would be read twice. Name each file once",
                  shown_input(twice->first));
    fmt::print(stderr, "patuh {}: {}: {}\n", command, shown_input(twice->again), message);
    return true;
}

std::optional<std::string> input_written_over(const std::string& path, const std::vector<std::string>& inputs) {
    struct stat out {};
    // A file that does not exist yet, a device or a pipe (/dev/stdout, /dev/null) holds no input.
    if (path.empty() || stat(path.c_str(), &out) != 0 || !S_ISREG(out.st_mode)) return std::nullopt;
    for (const std::string& name : inputs) {
        const std::optional<struct stat> in = file_identity(name);
        if (in && in->st_dev == out.st_dev && in->st_ino == out.st_ino) return name;
    }
    return std::nullopt;
}

bool refuse_input_written_over(std::string_view command, std::string_view option, const std::string& path,
                               const std::vector<std::string>& inputs, lang l) {
    const std::optional<std::string> input = input_written_over(path, inputs);
    if (!input) return false;
    fmt::print(stderr, "patuh {}: {} '{}': {}\n", command, option, path,
               trf(l, "berkas ini juga dibaca sebagai masukan ('{}'); isinya akan hilang, tulislah ke berkas lain",
                   "this file is also an input ('{}'); its contents would be lost, write to another file",
                   shown_input(*input)));
    return true;
}

bool write_output(const std::function<void(std::ostream&)>& produce, const std::string& path, std::string_view command,
                  lang l) {
    bool ok = false;
    // The reason of the first call that failed: writes after it fail without one.
    errno = 0;
    int error = 0;
    const auto note = [&error] {
        if (error == 0) error = errno;
    };
    if (path.empty()) {
        std::fflush(stdout);  // what was written through stdio before comes first
        produce(std::cout);
        if (!std::cout) note();
        std::cout.flush();
        ok = static_cast<bool>(std::cout);
    } else {
        std::vector<char> buffer(std::size_t{1} << 20);
        std::ofstream out;
        out.rdbuf()->pubsetbuf(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        out.open(path, std::ios::binary);
        if (out) produce(out);
        if (!out) note();
        out.close();
        ok = static_cast<bool>(out);
    }
    if (ok) return true;
    note();
    if (path.empty()) fmt::print(stderr, "patuh {}: {}\n", command, cannot_write_standard_output(error).in(l));
    else fmt::print(stderr, "patuh {}: {}: {}\n", command, shown(path), cannot_write(error).in(l));
    return false;
}

bool write_output(const std::string& text, const std::string& path, std::string_view command, lang l) {
    return write_output([&](std::ostream& os) { os << text; }, path, command, l);
}

loaded_rules load_rule_files(const common_options& o) {
    if (o.rules.empty()) return load_embedded_rules(o.limits);
    const std::vector<std::filesystem::path> paths(o.rules.begin(), o.rules.end());
    return load_rules(paths, o.limits);
}

bool parse_as_of(const std::string& text, std::string_view command, lang l, std::optional<date>& as_of) {
    if (text.empty()) return true;
    as_of = date::parse(text);
    if (as_of) return true;
    fmt::print(stderr, "patuh {}: --as-of '{}': {}\n", command, text,
               tr(l, "bukan tanggal kalender yang sah (YYYY-MM-DD)", "not a real calendar day (YYYY-MM-DD)"));
    return false;
}

std::optional<char> csv_delimiter(const std::string& name, const std::string& format, std::string_view command, lang l) {
    if (name.empty()) return ',';
    if (format != "csv") {
        fmt::print(stderr, "patuh {}: --csv-delimiter: {}\n", command,
                   tr(l, "hanya untuk --format csv", "only for --format csv"));
        return std::nullopt;
    }
    return name == "semicolon" ? ';' : name == "tab" ? '\t' : ',';
}

bool known_regions(const std::vector<std::string>& codes, std::string_view command,
                   const std::vector<const rule_set*>& rules, lang l) {
    for (const std::string& code : codes) {
        if (std::any_of(rules.begin(), rules.end(), [&](const rule_set* r) { return r->level_of_region(code) != no_index; }))
            continue;
        fmt::print(stderr, "patuh {}: --region '{}': {}\n", command, code,
                   tr(l, "bukan kode wilayah yang dikenal aturan (provinsi \"73\", kabupaten/kota \"73.73\")",
                      "not a region code the rules know (province \"73\", kabupaten/kota \"73.73\")"));
        return false;
    }
    return true;
}

std::optional<rule_set> load_rule_set(const common_options& o, bool draft) {
    compile_result compiled = compile(load_rule_files(o));
    const lang l = language(o);
    const source_set& sources = compiled.sources();
    if (!compiled.diags.items.empty())
        fmt::print(stderr, "{}", render_text(compiled.diags, sources, l, use_color(o, STDERR_FILENO)));
    const std::size_t errors = compiled.diags.error_count();
    if (!compiled.rules && draft)
        fmt::print(stderr, "patuh: {}\n",
                   trf(l, "rancangan memuat {} galat; tidak ada yang dibandingkan", "the draft has {} {}; nothing was compared",
                       errors, plural(errors, "error", "errors")));
    else if (!compiled.rules)
        fmt::print(stderr, "patuh: {}\n",
                   trf(l, "aturan memuat {} galat; tidak ada yang dinilai", "the rules have {} {}; nothing was judged",
                       errors, plural(errors, "error", "errors")));
    return std::move(compiled.rules);
}

namespace {

// "warning[CODE]: FILE:LINE:1: text" on stderr, in the language asked for.
void warn_at(std::string_view code, const std::string& source, std::uint64_t line, const std::string& text, lang l) {
    fmt::print(stderr, "{}[{}]: {}:{}:1: {}\n", l == lang::id ? "peringatan" : "warning", code, shown(source), line,
               shown(text));
}

}  // namespace

void warn_date_order(const date_order_breaks& breaks, lang l) {
    if (breaks.count > 0) warn_at("W0601", breaks.source, breaks.line, describe_date_order_breaks(breaks, l), l);
}

void warn_duplicates(const duplicate_records& dups, lang l) {
    if (dups.count > 0) warn_at("W0602", dups.source, dups.line, describe_duplicates(dups, l), l);
}

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

void add_csv_rows_option(CLI::App* sub, std::size_t& rows_per_file, lang l) {
    sub->add_option("--csv-rows-per-file", rows_per_file,
                    tr(l,
                       "Laporan CSV: paling banyak N baris di setiap berkas, masing-masing dengan baris judul; perlu "
                       "-o, yang namanya dipakai berkas berikutnya dengan -2, -3, ... sebelum ekstensinya "
                       "(temuan-2.csv); 1048575: berkas yang terbuka utuh di lembar kerja",
                       "CSV report: at most N rows in each file, each with the header row; needs -o, whose name the "
                       "next files take with -2, -3, ... before the extension (findings-2.csv); 1048575: files a "
                       "spreadsheet opens whole"))
        ->check(CLI::Range(std::size_t{1}, std::size_t{spreadsheet_rows - 1}));
}

bool csv_rows_usable(std::size_t rows_per_file, const std::string& format, const std::string& output,
                     std::string_view command, lang l) {
    if (rows_per_file == 0 || (format == "csv" && !output.empty())) return true;
    fmt::print(stderr, "patuh {}: --csv-rows-per-file: {}\n", command,
               format != "csv" ? tr(l, "hanya untuk --format csv", "only for --format csv")
                               : tr(l, "perlu -o: berkas-berkasnya diberi nama menurut berkas itu "
                                       "(temuan.csv, temuan-2.csv, ...)",
                                    "needs -o: the files are named after it (findings.csv, findings-2.csv, ...)"));
    return false;
}

namespace {

// The file of part `k` (from 1) of a CSV report split into files: the first
// is `output` itself, the next ones "findings-2.csv", "findings-3.csv", ...
std::string csv_part_path(const std::string& output, std::size_t k) {
    if (k == 1) return output;
    const std::filesystem::path path(output);
    const std::string name = fmt::format("{}-{}{}", path.stem().string(), k, path.extension().string());
    return (path.parent_path() / name).string();
}

}  // namespace

bool write_csv_report(const csv_part_writer& write, std::size_t rows, std::size_t rows_per_file,
                      const std::string& output, const std::vector<std::string>& inputs, const std::string& rejects,
                      std::string_view command, lang l) {
    if (rows_per_file == 0) {
        csv_row_place hidden{spreadsheet_rows, 0};
        const auto whole = [&](std::ostream& os) { write(os, {}, &hidden); };
        if (!write_output(whole, output, command, l)) return false;
        const std::string text = describe_spreadsheet_overflow(rows, l);
        if (hidden.line != 0 && !text.empty())
            warn_at("W0603", output.empty() ? std::string("<stdout>") : output, hidden.line, text, l);
        return true;
    }
    const std::size_t parts = std::max<std::size_t>(1, (rows + rows_per_file - 1) / rows_per_file);
    for (std::size_t k = 2; k <= parts; ++k) {
        const std::string path = csv_part_path(output, k);
        const bool over_input = input_written_over(path, inputs).has_value();
        if (!over_input && !same_file_to_write(rejects, path)) continue;
        fmt::print(stderr, "patuh {}: --csv-rows-per-file: {}\n", command,
                   over_input ? trf(l,
                                    "bagian {} laporan, '{}', juga dibaca sebagai masukan; isinya akan hilang, "
                                    "tulislah ke berkas lain",
                                    "part {} of the report, '{}', is also an input; its contents would be lost, "
                                    "write to another file",
                                    k, path)
                              : trf(l,
                                    "bagian {} laporan, '{}', adalah berkas --rejects; laporan akan menimpa rekaman "
                                    "yang ditolak",
                                    "part {} of the report, '{}', is the --rejects file; the report would overwrite "
                                    "the rejected records",
                                    k, path));
        return false;
    }
    std::string names;
    for (std::size_t k = 1; k <= parts; ++k) {
        const std::string path = csv_part_path(output, k);
        const finding_range range{(k - 1) * rows_per_file, rows_per_file};
        const auto part = [&](std::ostream& os) { write(os, range, nullptr); };
        if (!write_output(part, path, command, l)) return false;
        names += (names.empty() ? "" : ", ") + shown(path);
    }
    if (parts > 1)
        fmt::print(stderr, "patuh {}: {}\n", command,
                   trf(l, "{} temuan dalam {} berkas CSV, paling banyak {} per berkas: {}",
                       "{} findings in {} CSV files, at most {} a file: {}", rows, parts, rows_per_file, names));
    // A part an earlier run wrote after the last of these is not part of this report.
    const std::string next = csv_part_path(output, parts + 1);
    std::error_code ec;
    if (std::filesystem::exists(next, ec))
        fmt::print(stderr, "patuh {}: {}: {}\n", command, shown(next),
                   tr(l, "dari laporan sebelumnya, bukan bagian laporan ini",
                      "from an earlier report, not a part of this one"));
    return true;
}

}  // namespace patuh::cli
