#include "cli/common.hpp"

#include <nlohmann/json.hpp>

#include <patuh/parse.hpp>

#include <fmt/core.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
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

void add_rule_limits(CLI::App* sub, common_options& o) {
    sub->add_option("--max-file-bytes", o.limits.max_file_bytes, "Largest rule file accepted, in bytes")
        ->capture_default_str();
    sub->add_option("--max-line-bytes", o.limits.max_line_bytes, "Longest line of a rule file, in bytes")
        ->capture_default_str();
    sub->add_option("--max-rule-files", o.limits.max_files, "Most files in one rule set, includes counted")
        ->capture_default_str();
}

void add_rules_option(CLI::App* sub, common_options& o) {
    sub->add_option("--rules", o.rules, "Rule files or folders (default: the shipped rules)");
    add_rule_limits(sub, o);
}

void add_language_options(CLI::App* sub, common_options& o, bool color) {
    sub->add_option("--lang", o.lang_text, "Language of messages: id or en (default: from the locale)")
        ->check(CLI::IsMember({"id", "en"}));
    if (color)
        sub->add_option("--color", o.color, "Colour: auto, always or never")
            ->check(CLI::IsMember({"auto", "always", "never"}));
}

void add_input_options(CLI::App* sub, input_options& o) {
    sub->add_option("--input-format", o.format, "How to read event files: auto, json or jsonl")
        ->check(CLI::IsMember({"auto", "json", "jsonl"}));
    sub->add_option("--max-record-bytes", o.limits.max_record_bytes, "Largest event record accepted, in bytes")
        ->capture_default_str();
    sub->add_option("--max-depth", o.limits.max_depth, "Deepest JSON nesting of an event record")
        ->capture_default_str();
}

std::optional<std::uint64_t> read_inputs(const std::vector<std::string>& names, std::string_view command,
                                         const rule_set& rules, const input_options& o, const event_sink& on_event,
                                         const rejection_sink& on_reject, lang l) {
    const input_format format = o.format == "json"    ? input_format::json
                                : o.format == "jsonl" ? input_format::jsonl
                                                      : input_format::automatic;
    std::uint64_t read = 0;
    for (const std::string& name : names) {
        if (name == "-") {
            read += read_events(std::cin, "<stdin>", rules, on_event, on_reject, format, o.limits).read;
            continue;
        }
        std::ifstream in(name, std::ios::binary);
        if (!in) {
            fmt::print(stderr, "patuh {}: {}: {}\n", command, name,
                       tr(l, "berkas tidak dapat dibuka", "cannot open the file"));
            return std::nullopt;
        }
        read += read_events(in, name, rules, on_event, on_reject, format, o.limits).read;
    }
    return read;
}

bool write_output(const std::string& text, const std::string& path, std::string_view command, lang l) {
    if (path.empty()) {
        fmt::print("{}", text);
        return true;
    }
    std::ofstream out(path, std::ios::binary);
    out << text;
    if (out) return true;
    fmt::print(stderr, "patuh {}: {}: {}\n", command, path, tr(l, "tidak dapat ditulis", "cannot be written"));
    return false;
}

loaded_rules load_rule_files(const common_options& o) {
    if (o.rules.empty()) return load_embedded_rules(o.limits);
    const std::vector<std::filesystem::path> paths(o.rules.begin(), o.rules.end());
    return load_rules(paths, o.limits);
}

std::optional<rule_set> load_rule_set(const common_options& o) {
    compile_result compiled = compile(load_rule_files(o));
    const lang l = language(o);
    const source_set& sources = compiled.sources();
    if (!compiled.diags.items.empty())
        fmt::print(stderr, "{}", render_text(compiled.diags, sources, l, use_color(o, STDERR_FILENO)));
    if (!compiled.rules)
        fmt::print(stderr, "patuh: {}\n",
                   trf(l, "aturan memuat {} galat; tidak ada yang dinilai", "the rules have {} errors; nothing was judged",
                       compiled.diags.error_count()));
    return std::move(compiled.rules);
}

}  // namespace patuh::cli
