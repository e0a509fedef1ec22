// patuh fmt: rewrites rule files in the canonical layout.

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "common/support.hpp"

#include <patuh/format.hpp>
#include <patuh/parse.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>
#include <unistd.h>

namespace patuh::cli {

namespace {

namespace fs = std::filesystem;

struct fmt_options {
    common_options common;
    std::vector<std::string> files;
    bool check = false;
};

// The files named, folders expanded to their *.patuh files (recursively, sorted).
std::vector<std::string> expand(const std::vector<std::string>& names) {
    std::vector<std::string> out;
    for (const std::string& name : names) {
        std::error_code ec;
        if (name != "-" && fs::is_directory(name, ec)) {
            std::vector<std::string> found;
            for (const auto& entry : fs::recursive_directory_iterator(name, ec))
                if (entry.is_regular_file(ec) && entry.path().extension() == ".patuh")
                    found.push_back(entry.path().generic_string());
            std::sort(found.begin(), found.end());
            out.insert(out.end(), found.begin(), found.end());
        } else {
            out.push_back(name);
        }
    }
    return out;
}

std::optional<std::string> read_all(const std::string& name, int& error) {
    if (name == "-") return std::string(std::istreambuf_iterator<char>(std::cin), {});
    std::string text;
    if (!read_whole_file(name, text, error)) return std::nullopt;
    return text;
}

int run_fmt(const fmt_options& o) {
    const lang l = language(o.common);
    int status = exit_ok;
    for (const std::string& name : expand(o.files)) {
        int error = 0;
        const std::optional<std::string> text = read_all(name, error);
        if (!text) {
            fmt::print(stderr, "patuh fmt: {}: E0108: {}\n", shown(name), cannot_read(error).in(l));
            status = exit_unusable;
            continue;
        }
        // Only files that parse are formatted: a layout of broken text could hide the error.
        source_set sources;
        diagnostic_list diags;
        const std::uint32_t index = sources.add(name == "-" ? "<stdin>" : name, *text);
        (void)parse_file(sources, index, diags);
        if (diags.has_errors()) {
            fmt::print(stderr, "{}", render_text(diags, sources, l, use_color(o.common, STDERR_FILENO)));
            fmt::print(stderr, "patuh fmt: {}: {}\n", name,
                       tr(l, "tidak diformat karena ada galat sintaksis", "not formatted: it has syntax errors"));
            status = exit_unusable;
            continue;
        }
        const std::string formatted = format_rules(*text);
        if (name == "-") {
            if (o.check) {
                if (formatted != *text) {
                    if (!write_output("<stdin>\n", "", "fmt", l)) return exit_unusable;
                    status = std::max(status, exit_findings);
                }
            } else if (!write_output(formatted, "", "fmt", l)) {
                return exit_unusable;
            }
            continue;
        }
        if (formatted == *text) continue;
        if (o.check) {
            if (!write_output(name + "\n", "", "fmt", l)) return exit_unusable;  // would change
            status = std::max(status, exit_findings);
            continue;
        }
        errno = 0;
        std::ofstream out(name, std::ios::binary | std::ios::trunc);
        out << formatted;
        out.close();
        if (!out) {
            fmt::print(stderr, "patuh fmt: {}: {}\n", shown(name), cannot_write(errno).in(l));
            status = exit_unusable;
        }
    }
    return status;
}

}  // namespace

command_runner add_fmt(CLI::App& app, lang l) {
    auto o = std::make_shared<fmt_options>();
    CLI::App* sub = app.add_subcommand(
        "fmt", tr(l,
                  "Tulis ulang berkas aturan dalam tata letak baku (di tempat; '-' membaca stdin dan menulis ke "
                  "stdout)",
                  "Rewrite rule files in the canonical layout (in place; '-' reads stdin and writes stdout)"));
    sub->add_option("files", o->files,
                    tr(l, "Berkas atau folder aturan, atau - untuk stdin",
                       "Rule files or folders, or - for stdin"))->required();
    sub->add_flag("--check", o->check,
                  tr(l, "Jangan ubah apa pun; sebutkan berkas yang akan berubah dan keluar dengan kode 1 bila ada",
                     "Change nothing; list the files that would change and exit 1 if any"));
    add_language_options(sub, o->common, true, l);
    return [o]() { return run_fmt(*o); };
}

}  // namespace patuh::cli
