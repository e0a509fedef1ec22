// patuh: checks personnel changes of population agencies against the rules of
// central approval. Dispatches to one subcommand per file.

#include "cli/commands.hpp"
#include "cli/common.hpp"

#include <fmt/core.h>

#include <exception>
#include <map>

int main(int argc, char** argv) {
    using namespace patuh::cli;
    CLI::App app{"patuh: central-approval compliance for Disdukcapil officials"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "patuh 0.1.0");
    std::map<CLI::App*, command_runner> runners;
    const auto add = [&](command_runner (*adder)(CLI::App&)) {
        const std::size_t before = app.get_subcommands({}).size();
        command_runner run = adder(app);
        runners.emplace(app.get_subcommands({}).at(before), std::move(run));
    };
    add(add_audit);
    add(add_check);
    add(add_fmt);
    add(add_rules);
    add(add_explain);
    add(add_test);
    add(add_plan);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? exit_ok : exit_unusable;
    }
    try {
        for (const auto& [sub, run] : runners)
            if (sub->parsed()) return run();
    } catch (const std::exception& e) {
        fmt::print(stderr, "patuh: {}\n", e.what());
        return exit_unusable;
    }
    return exit_unusable;
}
