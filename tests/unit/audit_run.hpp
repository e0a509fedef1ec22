#pragma once
// Reads a log as `patuh audit` does and returns the report (tests only).

#include "shipped.hpp"

#include <patuh/engine.hpp>
#include <patuh/event.hpp>
#include <patuh/report.hpp>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

namespace patuh::testing {

// Each input: its name and its JSON text, read in order as `patuh audit A B ...` reads them
// (with `--rules` giving `rules`).
inline audit_report audit_inputs(const std::vector<std::pair<std::string, std::string>>& inputs,
                                 engine_options options = {}, const rule_set& rules = shipped()) {
    audit_report report;
    for (const auto& input : inputs) report.inputs.push_back(input.first);
    engine eng(rules, options);
    input_tally tally(report.inputs);
    std::size_t index = 0;
    const auto on_reject = [&](rejection&& x) {
        ++report.rejected_count;
        tally.rejected(index, x);
        report.rejected.push_back(std::move(x));
    };
    for (; index < inputs.size(); ++index) {
        const auto& [name, log] = inputs[index];
        std::istringstream in(log);
        const std::uint64_t read = read_events(
                                       in, name, rules,
                                       [&](const event& e) {
                                           rejection why;
                                           if (!tally.judge(eng, index, e, why)) on_reject(std::move(why));
                                       },
                                       on_reject)
                                       .read;
        tally.input_read(index, read);
        report.read += read;
    }
    report.per_input = tally.inputs();
    report.result = eng.finish();
    return report;
}

inline audit_report audit(const std::string& log, engine_options options = {}, const std::string& source = "log.jsonl") {
    return audit_inputs({{source, log}}, std::move(options));
}

// The event logs of the shipped examples (examples/*/events.jsonl).
inline std::vector<std::filesystem::path> example_logs() {
    std::vector<std::filesystem::path> out;
    for (const auto& entry : std::filesystem::directory_iterator(std::string(PATUH_SOURCE_DIR) + "/examples"))
        if (const auto file = entry.path() / "events.jsonl"; std::filesystem::exists(file)) out.push_back(file);
    return out;
}

}  // namespace patuh::testing
