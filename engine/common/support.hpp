#pragma once
// Small helpers shared by the library's sources (not part of the public API).

#include <patuh/i18n.hpp>

#include <string>
#include <string_view>

namespace patuh {

// Visits a variant with one lambda per alternative.
template <typename... Ts>
struct overloaded : Ts... {
    using Ts::operator()...;
};
template <typename... Ts>
overloaded(Ts...) -> overloaded<Ts...>;

inline bilingual both(std::string id, std::string en) { return {std::move(id), std::move(en)}; }

// At most `limit` bytes of `text`, not cutting a UTF-8 sequence in two.
inline std::string clip(std::string_view text, std::size_t limit) {
    if (text.size() <= limit) return std::string(text);
    std::size_t n = limit;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
    return std::string(text.substr(0, n));
}

// Text from the input (a name, a post, an id, a file name, a reason quoting a
// value) as the text writers show it: control characters (C0, DEL and C1)
// written out as escapes (\n, \r, \t, \u001B), so that a record cannot move
// the cursor, recolour or clear a terminal, or begin a line of its own.
std::string shown(std::string_view text);

// The size of rejection::raw.
inline constexpr std::size_t rejection_raw_limit = 4096;

}  // namespace patuh
