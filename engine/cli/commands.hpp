#pragma once
// One function per subcommand: each adds itself to the command line and runs.

#include <CLI/CLI.hpp>
#include <patuh/i18n.hpp>

#include <functional>
#include <string>
#include <vector>

namespace patuh::cli {

// Registers a subcommand, its help in language `l`; the returned function runs
// it once parsing succeeded.
using command_runner = std::function<int()>;

command_runner add_audit(CLI::App& app, lang l);
command_runner add_check(CLI::App& app, lang l);
command_runner add_fmt(CLI::App& app, lang l);
command_runner add_rules(CLI::App& app, lang l);
command_runner add_explain(CLI::App& app, lang l);
command_runner add_test(CLI::App& app, lang l);
command_runner add_plan(CLI::App& app, lang l);
command_runner add_impact(CLI::App& app, lang l);

// A command line the parser refused (not a request for help or the
// version), as one line for stderr in language `l`: what was wrong and what
// it takes, then where the options are listed. `command`: the subcommand
// being parsed (nullptr: none was named); `words`: the arguments after
// "patuh".
std::string describe_usage_error(const CLI::ParseError& e, const CLI::App& app, const CLI::App* command,
                                 const std::vector<std::string>& words, lang l);

}  // namespace patuh::cli
