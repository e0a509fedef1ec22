#pragma once
// Compiling a rule set written in a test, and the codes of its diagnostics.

#include <patuh/diagnostic.hpp>
#include <patuh/parse.hpp>
#include <patuh/rule_set.hpp>

#include <string>
#include <vector>

namespace patuh::testing {

// One file named "set.patuh".
inline compile_result compile_text(const std::string& text) {
    loaded_rules l;
    const std::uint32_t i = l.sources.add("set.patuh", text);
    l.files.push_back(parse_file(l.sources, i, l.diags));
    return compile(std::move(l));
}

// "E0201", "W0401", ... in the order reported.
inline std::vector<std::string> codes(const diagnostic_list& d) {
    std::vector<std::string> out;
    for (const diagnostic& x : d.items) out.emplace_back(info(x.code).id);
    return out;
}

}  // namespace patuh::testing
