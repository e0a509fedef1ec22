// patuh: checks personnel changes of population agencies against the rules of
// central approval. Dispatches to one subcommand per file.

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "common/support.hpp"

#include <fmt/core.h>

#include <cstdio>
#include <exception>
#include <map>
#include <memory>
#include <new>
#include <optional>
#include <string_view>

#ifdef PATUH_MIMALLOC
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <mimalloc.h>
#include <sys/mman.h>
#endif

namespace {

// The language of the command's messages: its --lang, else the locale's.
patuh::lang language_of(const CLI::App& command) {
    if (const CLI::Option* option = command.get_option_no_throw("--lang"); option != nullptr && option->count() > 0)
        if (const auto l = patuh::parse_lang(option->as<std::string>())) return *l;
    return patuh::lang_from_environment();
}

// Says on stderr why the command stopped on an exception, in its language
// (without the exception's words when there is no memory left to format them).
void stopped(const CLI::App& command, const std::exception& e) {
    const patuh::lang l = language_of(command);
    try {
        fmt::print(stderr, "patuh {}: {}\n", command.get_name(), patuh::unfinished(e).in(l));
    } catch (const std::exception&) {
        std::fputs("patuh ", stderr);
        std::fputs(command.get_name().c_str(), stderr);
        std::fputs(patuh::tr(l, ": memori tidak cukup untuk menyelesaikan\n", ": not enough memory to finish\n"), stderr);
    }
}

#ifdef PATUH_MIMALLOC
// mimalloc, which allocates for the program, aborts when operator new finds
// no memory (it does not see std::set_new_handler): the failure is thrown as
// std::bad_alloc instead, so that the command says why it stopped. Its other
// errors are left as it leaves them (told, not fatal).
void memory_error(int error, void*) {
    if (error == ENOMEM || error == EOVERFLOW) throw std::bad_alloc();
}

// Asks for the program's memory in pages of 2 MiB where the system allows it
// (transparent huge pages, where the kernel grants them on request): the
// engine reads its tables at random, and with pages of 4 KiB much of that
// time went on translating addresses (bench/README.md). mimalloc asks so for
// the memory it maps from now on (but a new thread's first segment, which it
// commits as it goes: the reading and writing threads' memory stays in small
// pages, and the peak RSS lower); the memory it mapped before main, where the
// calling thread's allocations go first, and so the engine's, is asked for
// here: the 32 MiB-aligned span (mimalloc's segment) holding a block
// allocated now. Only the advice changes: memory mapped or not, and what the
// program computes, stay as they are.
// MIMALLOC_LARGE_OS_PAGES in the environment leaves the choice to mimalloc
// (0: pages of 4 KiB).
void use_huge_pages() {
    if (std::getenv("MIMALLOC_LARGE_OS_PAGES") != nullptr) return;
    mi_option_enable(mi_option_large_os_pages);
    void* block = mi_malloc(64);
    if (block == nullptr) return;
    constexpr std::uintptr_t segment = std::uintptr_t{32} << 20;
    madvise(reinterpret_cast<void*>(reinterpret_cast<std::uintptr_t>(block) & ~(segment - 1)), segment,
            MADV_HUGEPAGE);
    mi_free(block);
}
#endif

// The language of the help: the last --lang of the command line (before
// it is parsed), else the locale's.
patuh::lang help_language(int argc, char** argv) {
    std::optional<patuh::lang> given;
    for (int i = 1; i < argc; ++i) {
        const std::string_view word(argv[i]);
        std::optional<std::string_view> value;
        if (word == "--lang" && i + 1 < argc) value = argv[i + 1];
        else if (word.starts_with("--lang=")) value = word.substr(7);
        if (value)
            if (const std::optional<patuh::lang> l = patuh::parse_lang(*value)) given = l;
    }
    return given.value_or(patuh::lang_from_environment());
}

// The words of the parser's help pages, in language `l`.
void help_in(CLI::App& app, patuh::lang l) {
    using patuh::tr;
    app.name("patuh");
    app.description(tr(l, "patuh: kepatuhan persetujuan pusat bagi pejabat Disdukcapil",
                       "patuh: central-approval compliance for Disdukcapil officials"));
    app.option_defaults()->group(tr(l, "Opsi", "Options"));  // first: the flags below take it
    app.set_help_flag("-h,--help", tr(l, "Tampilkan bantuan ini lalu keluar", "Print this help message and exit"));
    app.set_version_flag("--version", "patuh 0.1.0",
                         tr(l, "Tampilkan versi program lalu keluar", "Display program version information and exit"));
    const std::shared_ptr<CLI::FormatterBase> labels = app.get_formatter();
    labels->label("Usage", tr(l, "Penggunaan", "Usage"));
    labels->label("Positionals", tr(l, "Argumen", "Positionals"));
    labels->label("OPTIONS", tr(l, "OPSI", "OPTIONS"));
    labels->label("SUBCOMMAND", tr(l, "PERINTAH", "SUBCOMMAND"));
    labels->label("SUBCOMMANDS", tr(l, "PERINTAH", "SUBCOMMANDS"));
    labels->label("REQUIRED", tr(l, "WAJIB", "REQUIRED"));
    labels->label("Excludes", tr(l, "Tidak bersama", "Excludes"));
    labels->label("Needs", tr(l, "Memerlukan", "Needs"));
}

// Examples under the top-level help (set once the commands are added, which
// would take it for theirs).
std::string examples(patuh::lang l) {
    return patuh::tr(l,
                     "Contoh:\n"
                     "  patuh audit peristiwa.jsonl                           laporan di terminal\n"
                     "  patuh audit --format html -o laporan.html log.jsonl   satu halaman untuk auditor\n"
                     "  patuh explain --event plp-2017-001 peristiwa.jsonl    mengapa satu peristiwa ditandai\n"
                     "  patuh rules --date 2017-08-11                         persetujuan tiap eselon pada "
                     "tanggal itu\n"
                     "  patuh plan --state peristiwa.jsonl rencana.csv        menilai rencana rotasi\n"
                     "Opsi setiap perintah: patuh PERINTAH --help",
                     "Examples:\n"
                     "  patuh audit events.jsonl                              the report on the terminal\n"
                     "  patuh audit --format html -o report.html log.jsonl    one page for auditors\n"
                     "  patuh explain --event plp-2017-001 events.jsonl       why one event was flagged\n"
                     "  patuh rules --date 2017-08-11                         the approval each rank needs that day\n"
                     "  patuh plan --state events.jsonl plan.csv              judge a planned rotation\n"
                     "Each command's options: patuh COMMAND --help");
}

}  // namespace

int main(int argc, char** argv) {
    using namespace patuh::cli;
#ifdef PATUH_MIMALLOC
    mi_register_error(memory_error, nullptr);
    use_huge_pages();
#endif
    CLI::App app;
    const patuh::lang help = help_language(argc, argv);
    help_in(app, help);
    app.require_subcommand(1);
    std::map<CLI::App*, command_runner> runners;
    const auto add = [&](command_runner (*adder)(CLI::App&, patuh::lang)) {
        const std::size_t before = app.get_subcommands({}).size();
        command_runner run = adder(app, help);
        CLI::App* sub = app.get_subcommands({}).at(before);
        sub->group(patuh::tr(help, "Perintah", "Subcommands"));
        if (CLI::Option* flag = sub->get_help_ptr()) flag->group(patuh::tr(help, "Opsi", "Options"));
        runners.emplace(sub, std::move(run));
    };
    add(add_audit);
    add(add_check);
    add(add_fmt);
    add(add_rules);
    add(add_explain);
    add(add_test);
    add(add_plan);
    add(add_impact);
    app.footer(examples(help));
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // --help and --version: the parser prints them.
        if (e.get_exit_code() == 0) return app.exit(e) == 0 ? exit_ok : exit_unusable;
        const CLI::App* command = nullptr;
        for (const auto& [sub, run] : runners)
            if (sub->parsed()) command = sub;
        // In the help's language: a --lang anywhere on the line counts, even after the word refused.
        const std::vector<std::string> words(argv + 1, argv + argc);
        fmt::print(stderr, "{}\n", describe_usage_error(e, app, command, words, help));
        return exit_unusable;
    }
    CLI::App* command = nullptr;
    for (const auto& [sub, run] : runners)
        if (sub->parsed()) command = sub;
    if (command == nullptr) return exit_unusable;
    try {
        return runners.at(command)();
    } catch (const std::exception& e) {
        stopped(*command, e);
        return exit_unusable;
    }
}
