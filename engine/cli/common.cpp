#include "cli/common.hpp"

#include <nlohmann/json.hpp>

#include <patuh/parse.hpp>

#include <fmt/core.h>

#include <cstdlib>
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
