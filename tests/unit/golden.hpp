#pragma once
// Golden files: what a user sees, stored under tests/golden/. A test compares
// its output with the file; PATUH_UPDATE_GOLDEN=1 rewrites the file instead
// (review the diff before committing).

#include <catch2/catch.hpp>

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

}  // namespace patuh::testing
