#pragma once
// The shipped rule set (rules/, compiled into the library), compiled once per test run.

#include <patuh/parse.hpp>
#include <patuh/rule_set.hpp>

#include <stdexcept>

namespace patuh::testing {

inline const rule_set& shipped() {
    static const rule_set rules = [] {
        compile_result c = compile(load_embedded_rules());
        if (!c.rules) throw std::runtime_error("the shipped rules do not compile");
        return std::move(*c.rules);
    }();
    return rules;
}

}  // namespace patuh::testing
