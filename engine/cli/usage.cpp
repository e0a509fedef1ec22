// A command line the parser refused, said in the user's language: which
// command or option was wrong and what it takes, instead of the parser's own
// English ("files is required", "Value 0 not in range 1 to 256").

#include "cli/commands.hpp"
#include "common/support.hpp"

#include <patuh/diagnostic.hpp>

#include <fmt/core.h>

#include <regex>
#include <string>
#include <vector>

namespace patuh::cli {

namespace {

std::vector<std::string> command_names(const CLI::App& app) {
    std::vector<std::string> names;
    for (const CLI::App* sub : app.get_subcommands({})) names.push_back(sub->get_name());
    return names;
}

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

// The long names of a command's options ("--format"), for suggestions.
std::vector<std::string> option_names(const CLI::App& command) {
    std::vector<std::string> names;
    for (const CLI::Option* o : command.get_options())
        for (const std::string& name : o->get_lnames()) names.push_back("--" + name);
    return names;
}

// "; did you mean 'audit'?" when one name is close, else nothing (nor for a
// word of one or two letters, which any short name is as close to).
std::string hint(std::string_view word, const std::vector<std::string>& names, lang l) {
    if (word.size() < 3) return {};
    const std::string close = did_you_mean(word, names);
    if (close.empty()) return {};
    return trf(l, "; maksudnya '{}'?", "; did you mean '{}'?", close);
}

// What a missing positional argument is, by its name in the command line.
std::string missing_argument(std::string_view name, lang l) {
    if (name == "files")
        return tr(l, "tidak ada berkas yang diberikan", "no files given");
    if (name == "plan")
        return tr(l, "berkas rencana (CSV atau JSON Lines) tidak diberikan", "no plan file (CSV or JSON Lines) given");
    if (name.starts_with("-")) return trf(l, "{} wajib diberikan", "{} is required", name);
    return trf(l, "'{}' wajib diberikan", "'{}' is required", name);
}

// The parser's message on a value a check refused ("Value 0 not in range 1
// to 256", "xlsx not in {text,json}"), in the user's language.
std::string refused_value(const std::string& option, const std::string& detail, lang l) {
    std::smatch m;
    static const std::regex range(R"(Value (.*) not in range (\S+) to (\S+))");
    static const std::regex member(R"((.*) not in \{(.*)\})");
    if (std::regex_match(detail, m, range))
        return trf(l, "{}: '{}' bukan bilangan dari {} sampai {}", "{}: '{}' is not a number from {} to {}", option,
                   shown(m[1].str()), m[2].str(), m[3].str());
    if (std::regex_match(detail, m, member)) {
        std::vector<std::string> allowed;
        const std::string list = m[2].str();
        for (std::size_t at = 0; at <= list.size();) {
            const std::size_t comma = std::min(list.find(',', at), list.size());
            allowed.push_back(list.substr(at, comma - at));
            at = comma + 1;
        }
        return trf(l, "{}: '{}' bukan salah satu dari {}{}", "{}: '{}' is not one of {}{}", option, shown(m[1].str()),
                   joined(allowed), hint(m[1].str(), allowed, l));
    }
    return fmt::format("{}: {}", option, shown(detail));
}

}  // namespace

std::string describe_usage_error(const CLI::ParseError& e, const CLI::App& app, const CLI::App* command,
                                 const std::vector<std::string>& words, lang l) {
    static const std::regex required(R"((\S+) is required)");
    static const std::regex missing(R"((\S+): \d+ required \S+ missing)");
    static const std::regex extra(R"(The following arguments? (?:was|were) not expected: (.*))");
    static const std::regex excludes(R"((\S+) excludes (\S+))");
    static const std::regex refused(R"((-\S+): (.*))");
    const std::string what = e.what();
    const std::string name = command != nullptr ? "patuh " + command->get_name() : std::string("patuh");
    std::smatch m;
    std::string text;
    if (command == nullptr && what == "A subcommand is required") {
        // The commands instead of the options.
        const std::vector<std::string> names = command_names(app);
        if (words.empty())
            text = tr(l, "tidak ada perintah", "no command given");
        else if (words.front().starts_with("-"))
            text = trf(l, "'{}' bukan opsi patuh; sebutkan perintah dulu",
                       "'{}' is not an option of patuh; name a command first", shown(words.front()));
        else
            text = trf(l, "perintah '{}' tidak dikenal{}", "unknown command '{}'{}", shown(words.front()),
                       hint(words.front(), names, l));
        return fmt::format("{}: {}\n{}", name, text,
                           trf(l, "Perintahnya: {} (patuh --help)", "Commands: {} (patuh --help)", joined(names)));
    } else if (std::regex_match(what, m, required)) {
        text = missing_argument(m[1].str(), l);
    } else if (std::regex_match(what, m, missing)) {
        text = trf(l, "{} memerlukan nilai", "{} needs a value", m[1].str());
    } else if (std::regex_match(what, m, extra)) {
        const std::string first = m[1].str().substr(0, m[1].str().find(' '));
        if (first.starts_with("-") && command != nullptr)
            text = trf(l, "opsi {} tidak dikenal{}", "unknown option {}{}", shown(first),
                       hint(first, option_names(*command), l));
        else
            text = trf(l, "tidak diharapkan: {}", "not expected: {}", shown(m[1].str()));
    } else if (std::regex_match(what, m, excludes)) {
        text = trf(l, "{} dan {} tidak dapat diberikan bersama", "{} and {} cannot be given together", m[1].str(),
                   m[2].str());
    } else if (std::regex_match(what, m, refused)) {
        text = refused_value(m[1].str(), m[2].str(), l);
    } else {
        text = shown(what);
    }
    return fmt::format("{}: {}\n{}", name, text, trf(l, "Opsinya: {} --help", "Options: {} --help", name));
}

}  // namespace patuh::cli
