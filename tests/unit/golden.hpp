#pragma once
// Golden files: what a user sees, stored under tests/golden/. A test compares
// its output with the file; PATUH_UPDATE_GOLDEN=1 rewrites the file instead
// (review the diff before committing).

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace patuh::testing {

inline std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline void check_golden(const std::string& relative, const std::string& actual) {
    const std::string path = std::string(PATUH_GOLDEN_DIR) + "/" + relative;
    if (const char* update = std::getenv("PATUH_UPDATE_GOLDEN"); update && std::string(update) == "1") {
        std::ofstream(path, std::ios::binary) << actual;
        return;
    }
    std::ifstream probe(path);
    INFO("golden file " << path << " (run with PATUH_UPDATE_GOLDEN=1 to create it)");
    REQUIRE(probe.good());
    CHECK(read_text(path) == actual);
}

// Text meant for a terminal or a page holds no control character but line
// breaks: none of C0 (U+0000..U+001F), DEL or C1 (U+0080..U+009F, C2 80..C2 9F
// in UTF-8) is left unescaped.
inline void check_no_control_characters(const std::string& text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto u = static_cast<unsigned char>(text[i]);
        const bool c0 = (u < 0x20 && text[i] != '\n') || u == 0x7F;
        const bool c1 = u == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                        static_cast<unsigned char>(text[i + 1]) <= 0x9F;
        if (!c0 && !c1) continue;
        INFO("byte " << i << " of the text, code " << static_cast<int>(c1 ? static_cast<unsigned char>(text[i + 1]) : u));
        FAIL_CHECK("a control character is left in the text");
    }
}

// The same check for a text report that may be coloured: the report's own
// colour codes (bold, dim, red, yellow, reset) are taken out first.
inline void check_no_control_characters_but_colours(std::string text) {
    for (const char* code : {"\x1b[1m", "\x1b[2m", "\x1b[1;31m", "\x1b[1;33m", "\x1b[0m"})
        for (std::size_t at; (at = text.find(code)) != std::string::npos;) text.erase(at, std::string_view(code).size());
    check_no_control_characters(text);
}

}  // namespace patuh::testing
