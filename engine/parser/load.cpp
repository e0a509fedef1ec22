// Rule sets from disk or from the binary: which files, in which order, and
// where `include` may lead.

#include <patuh/parse.hpp>

#include "common/support.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cerrno>
#include <functional>
#include <map>

namespace patuh {
namespace {

namespace fs = std::filesystem;

// Reads a file's text by its key; nothing, with the errno value why in the
// int, when it does not exist or cannot be read.
using reader = std::function<std::optional<std::string>(const fs::path&, int&)>;

class loader {
public:
    // `root` confines includes; `root_display` names it in messages.
    loader(reader read, fs::path root, std::string root_display, const parse_limits& limits)
        : read_(std::move(read)), root_(std::move(root)), root_display_(std::move(root_display)), limits_(limits) {}

    // Loads one file named by the user (`display` is the name shown in diagnostics).
    void load_root(const fs::path& key, const std::string& display) { load(key, display, no_span()); }

    loaded_rules take() { return std::move(out_); }

    // For files named on the command line that cannot be read.
    void unreadable(const std::string& display, bilingual why) {
        const std::uint32_t index = out_.sources.add(display, "");
        out_.diags.add({diag_code::unreadable_file, span{index, 0, 0}, std::move(why), "", ""});
    }

private:
    reader read_;
    fs::path root_;
    std::string root_display_;
    const parse_limits& limits_;
    loaded_rules out_;
    std::map<fs::path, bool> seen_;      // key → finished (false while its includes are being read)
    std::vector<fs::path> stack_;
    bool files_limit_reported_ = false;

    static std::optional<span> no_span() { return std::nullopt; }

    void load(const fs::path& key, const std::string& display, std::optional<span> included_at) {
        if (const auto it = seen_.find(key); it != seen_.end()) {
            if (!it->second && included_at) {
                std::string chain;
                bool on = false;
                for (const fs::path& p : stack_) {
                    if (p == key) on = true;
                    if (on) chain += p.filename().string() + " → ";
                }
                chain += key.filename().string();
                out_.diags.add({diag_code::include_cycle, *included_at,
                                bilingual{fmt::format("include berputar: {}", chain),
                                          fmt::format("include cycle: {}", chain)},
                                "", ""});
            }
            return;
        }
        if (seen_.size() >= limits_.max_files) {
            if (!files_limit_reported_ && included_at) {
                out_.diags.add({diag_code::limit_exceeded, *included_at,
                                bilingual{fmt::format("lebih dari {} berkas dalam satu himpunan aturan", limits_.max_files),
                                          fmt::format("more than {} {} in one rule set", limits_.max_files,
                                                      plural(limits_.max_files, "file", "files"))},
                                "", ""});
            }
            files_limit_reported_ = true;
            return;
        }
        int error = 0;
        std::optional<std::string> text = read_(key, error);
        if (!text) {
            const bilingual why = io_reason(error);
            bilingual message{fmt::format("berkas '{}' tidak dapat dibaca: {}", display, why.id),
                              fmt::format("cannot read '{}': {}", display, why.en)};
            // An included file that does not exist is a mistake in the rules (E0105);
            // one that exists but cannot be read is unusable input, as a file named by the user is.
            if (included_at && error == ENOENT) {
                out_.diags.add({diag_code::include_not_found, *included_at,
                                bilingual{fmt::format("berkas '{}' tidak ditemukan", display),
                                          fmt::format("file '{}' not found", display)},
                                "", ""});
            } else if (included_at) {
                out_.diags.add({diag_code::unreadable_file, *included_at, std::move(message), "", ""});
            } else {
                unreadable(display, std::move(message));
            }
            return;
        }
        seen_[key] = false;
        stack_.push_back(key);
        const std::uint32_t index = out_.sources.add(display, std::move(*text));
        ast::file parsed = parse_file(out_.sources, index, out_.diags, limits_);
        std::vector<const ast::include_decl*> includes;
        for (const ast::top_item& item : parsed.items)
            if (const auto* inc = std::get_if<ast::include_decl>(&item)) includes.push_back(inc);
        std::vector<std::pair<fs::path, std::string>> targets;
        std::vector<span> where;
        for (const ast::include_decl* inc : includes) {
            if (auto target = resolve(key, display, *inc)) {
                targets.push_back(std::move(*target));
                where.push_back(inc->path.where);
            }
        }
        out_.files.push_back(std::move(parsed));
        for (std::size_t i = 0; i < targets.size(); ++i) load(targets[i].first, targets[i].second, where[i]);
        stack_.pop_back();
        seen_[key] = true;
    }

    // The key and display name of an included file, or nothing (reported) when
    // the include leaves the rule folder.
    std::optional<std::pair<fs::path, std::string>> resolve(const fs::path& from_key, const std::string& from_display,
                                                            const ast::include_decl& inc) {
        const fs::path wanted(inc.path.value);
        const auto refuse = [&] {
            out_.diags.add({diag_code::include_outside_folder, inc.path.where,
                            bilingual{fmt::format("'{}' berada di luar folder aturan '{}'", inc.path.value,
                                                  root_display_),
                                      fmt::format("'{}' is outside the rule folder '{}'", inc.path.value,
                                                  root_display_)},
                            "", ""});
            return std::nullopt;
        };
        if (wanted.empty() || wanted.is_absolute() || wanted.has_root_name() || wanted.has_root_directory())
            return refuse();
        const fs::path key = (from_key.parent_path() / wanted).lexically_normal();
        const fs::path inside = key.lexically_relative(root_);
        if (inside.empty() || *inside.begin() == "..") return refuse();
        const std::string display =
            (fs::path(from_display).parent_path() / wanted).lexically_normal().generic_string();
        return std::make_pair(key, display);
    }
};

std::optional<std::string> read_disk(const fs::path& p, int& error) {
    std::string text;
    if (!read_whole_file(p.string(), text, error)) return std::nullopt;
    return text;
}

}  // namespace

loaded_rules load_rules(const std::vector<fs::path>& paths, const parse_limits& limits) {
    std::error_code ec;
    fs::path root;
    std::string root_display = ".";
    if (!paths.empty()) {
        const fs::path first = paths.front();
        root = fs::is_directory(first, ec) ? first : first.parent_path();
        if (root.empty()) root = ".";
        root_display = root.lexically_normal().generic_string();
        root = fs::weakly_canonical(fs::absolute(root, ec), ec);
    }
    loader l(read_disk, root, root_display, limits);
    const auto key_of = [&](const fs::path& p) { return fs::weakly_canonical(fs::absolute(p, ec), ec); };
    for (const fs::path& p : paths) {
        if (fs::is_directory(p, ec)) {
            std::vector<fs::path> files;
            for (const auto& entry : fs::directory_iterator(p, ec))
                if (entry.is_regular_file(ec) && entry.path().extension() == ".patuh") files.push_back(entry.path());
            std::sort(files.begin(), files.end());
            if (files.empty()) {
                l.unreadable(p.generic_string(),
                             bilingual{fmt::format("folder '{}' tidak berisi berkas .patuh", p.generic_string()),
                                       fmt::format("folder '{}' holds no .patuh file", p.generic_string())});
            }
            for (const fs::path& f : files) l.load_root(key_of(f), f.lexically_normal().generic_string());
        } else {
            l.load_root(key_of(p), p.lexically_normal().generic_string());
        }
    }
    return l.take();
}

loaded_rules load_embedded_rules(const parse_limits& limits) {
    std::map<fs::path, const char*> files;
    for (const embedded_file& f : embedded_rule_files()) files.emplace(fs::path(f.name), f.text);
    const auto read = [&files](const fs::path& key, int& error) -> std::optional<std::string> {
        if (const auto it = files.find(key); it != files.end()) return std::string(it->second);
        error = ENOENT;
        return std::nullopt;
    };
    loader l(read, fs::path("rules"), "rules", limits);
    for (const auto& [name, text] : files) l.load_root(name, name.generic_string());
    return l.take();
}

}  // namespace patuh
