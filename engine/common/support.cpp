#include "common/support.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace patuh {

std::string shown(std::string_view text) {
    const auto control = [](unsigned char c) { return c < 0x20 || c == 0x7F; };
    const auto c1 = [&](std::size_t i) {  // U+0080..U+009F: C2 80..C2 9F
        return static_cast<unsigned char>(text[i]) == 0xC2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) >= 0x80 && static_cast<unsigned char>(text[i + 1]) <= 0x9F;
    };
    if (std::none_of(text.begin(), text.end(), [&](char c) {
            return control(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) == 0xC2;
        }))
        return std::string(text);
    std::string out;
    out.reserve(text.size() + 16);
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n') out += "\\n";
        else if (c == '\r') out += "\\r";
        else if (c == '\t') out += "\\t";
        else if (control(c)) out += fmt::format("\\u{:04X}", c);
        else if (c1(i)) out += fmt::format("\\u{:04X}", static_cast<unsigned char>(text[++i]));
        else out += static_cast<char>(c);
    }
    return out;
}

}  // namespace patuh
