#include <patuh/i18n.hpp>

#include <cstdlib>

namespace patuh {

std::optional<lang> parse_lang(std::string_view text) {
    if (text == "id") return lang::id;
    if (text == "en") return lang::en;
    return std::nullopt;
}

lang lang_from_environment() {
    for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
        const char* value = std::getenv(var);
        if (value == nullptr || *value == '\0') continue;
        const std::string_view v(value);
        return v.starts_with("id") || v.starts_with("in_") ? lang::id : lang::en;
    }
    return lang::en;
}

const std::string& bilingual::in(lang l) const {
    const std::string& wanted = l == lang::id ? id : en;
    const std::string& other = l == lang::id ? en : id;
    return wanted.empty() ? other : wanted;
}

}  // namespace patuh
