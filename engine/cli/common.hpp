#pragma once
// What every subcommand shares: loading the rule set, language and colour.

#include <nlohmann/json_fwd.hpp>
#include <patuh/i18n.hpp>
#include <patuh/rule_set.hpp>

#include <optional>
#include <string>
#include <vector>

namespace patuh::cli {

inline constexpr int exit_ok = 0;
inline constexpr int exit_findings = 1;
inline constexpr int exit_unusable = 2;

struct common_options {
    std::vector<std::string> rules;  // empty: the rules compiled into the binary
    std::string lang_text;           // "id" | "en" | "" (from the locale)
    std::string color = "auto";      // auto | always | never
};

lang language(const common_options& o);
bool use_color(const common_options& o, int fd);

// A JSON document as text for output; bytes that are not UTF-8 (from input
// files) are replaced, never a reason to fail.
std::string json_text(const nlohmann::json& document);

// Loads and compiles the rule set; prints diagnostics to stderr. Nothing on errors.
std::optional<rule_set> load_rule_set(const common_options& o);

}  // namespace patuh::cli
