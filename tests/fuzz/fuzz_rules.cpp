// libFuzzer target: the bytes are one rule file. Parses, compiles and renders
// the diagnostics as text (with and without colour) and JSON, in both
// languages. Any crash, leak, sanitizer report or hang is a bug.

#include <patuh/diagnostic.hpp>
#include <patuh/parse.hpp>
#include <patuh/rule_set.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <utility>

namespace {
// PATUH_FUZZ_STRICT_JSON=1: also dump the JSON the way `patuh check --format json`
// does (strict UTF-8) and abort when that throws. Off by default: it fails at
// once on any rule file with invalid UTF-8 (tests/fuzz/crashes/README.md).
const bool strict_json = [] {
    const char* v = std::getenv("PATUH_FUZZ_STRICT_JSON");
    return v != nullptr && *v != '\0' && *v != '0';
}();
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);

    patuh::loaded_rules l;
    auto i = l.sources.add("fuzz.patuh", text);
    l.files.push_back(patuh::parse_file(l.sources, i, l.diags));
    auto c = patuh::compile(std::move(l));

    // A rule set is produced exactly when there is no error.
    if (c.rules.has_value() == c.diags.has_errors()) std::abort();

    const patuh::source_set& sources = c.sources();
    for (patuh::lang lang : {patuh::lang::en, patuh::lang::id}) {
        std::string t = patuh::render_text(c.diags, sources, lang, false);
        std::string tc = patuh::render_text(c.diags, sources, lang, true);
        for (const auto& d : c.diags.items) {
            std::string one = patuh::render_text(d, sources, lang, false);
            if (one.empty()) std::abort();
        }
        nlohmann::json j = patuh::render_json(c.diags, sources, lang);
        // The rule text may hold invalid UTF-8, which render_json echoes.
        std::string s = j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
        if (strict_json) {
            try {
                s = j.dump(2);
            } catch (const std::exception& e) {
                std::fprintf(stderr, "fuzz_rules: render_json output is not valid UTF-8: %s\n", e.what());
                std::abort();
            }
        }
        if (t.size() + tc.size() + s.size() == 0) std::abort();  // keep the results alive
    }
    return 0;
}
