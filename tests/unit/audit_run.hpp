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

inline audit_report audit(const std::string& log, engine_options options = {}, const std::string& source = "log.jsonl") {
    audit_report report;
    report.inputs = {source};
    engine eng(shipped(), options);
    const auto on_reject = [&](rejection&& x) {
        ++report.rejected_count;
        report.rejected.push_back(std::move(x));
    };
    std::istringstream in(log);
    report.read = read_events(
                      in, source, shipped(),
                      [&](const event& e) {
                          rejection why;
                          if (!eng.add(e, why)) on_reject(std::move(why));
                      },
                      on_reject)
                      .read;
    report.result = eng.finish();
    return report;
}

// The event logs of the shipped examples (examples/*/events.jsonl).
inline std::vector<std::filesystem::path> example_logs() {
    std::vector<std::filesystem::path> out;
    for (const auto& entry : std::filesystem::directory_iterator(std::string(PATUH_SOURCE_DIR) + "/examples"))
        if (const auto file = entry.path() / "events.jsonl"; std::filesystem::exists(file)) out.push_back(file);
    return out;
}

}  // namespace patuh::testing
