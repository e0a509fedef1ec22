#pragma once
// Every message meant for a person exists in Indonesian and English.

#include <fmt/core.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace patuh {

enum class lang { id, en };

std::optional<lang> parse_lang(std::string_view text);  // "id" | "en"
// The language from LC_ALL / LC_MESSAGES / LANG: Indonesian for id_*, else English.
lang lang_from_environment();

// A text in both languages; either may be empty when a rule file omits it.
struct bilingual {
    std::string id;
    std::string en;
    const std::string& in(lang l) const;  // falls back to the other language
};

// Picks one of two literals; keeps the two wordings side by side in the code.
inline const char* tr(lang l, const char* id, const char* en) { return l == lang::id ? id : en; }

// An English noun for a count: "1 record", "2 records" (Indonesian nouns do not change).
inline const char* plural(std::uint64_t n, const char* one, const char* many) { return n == 1 ? one : many; }

// Formats one of two wordings, both checked at compile time.
template <typename... Args>
std::string trf(lang l, fmt::format_string<Args...> id, fmt::format_string<Args...> en, Args&&... args) {
    return l == lang::id ? fmt::format(id, std::forward<Args>(args)...) : fmt::format(en, std::forward<Args>(args)...);
}

}  // namespace patuh
