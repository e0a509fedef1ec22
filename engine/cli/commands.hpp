#pragma once
// One function per subcommand: each adds itself to the command line and runs.

#include <CLI/CLI.hpp>

#include <functional>

namespace patuh::cli {

// Registers a subcommand; the returned function runs it once parsing succeeded.
using command_runner = std::function<int()>;

command_runner add_audit(CLI::App& app);
command_runner add_check(CLI::App& app);
command_runner add_fmt(CLI::App& app);
command_runner add_rules(CLI::App& app);
command_runner add_explain(CLI::App& app);
command_runner add_test(CLI::App& app);
command_runner add_plan(CLI::App& app);
command_runner add_impact(CLI::App& app);

}  // namespace patuh::cli
