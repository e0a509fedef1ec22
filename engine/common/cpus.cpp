#include "common/cpus.hpp"

#include "common/support.hpp"

#include <sched.h>

#include <algorithm>
#include <charconv>
#include <thread>
#include <vector>

namespace patuh {

namespace {

std::vector<std::string_view> split(std::string_view text, char at) {
    std::vector<std::string_view> parts;
    while (true) {
        const std::size_t end = text.find(at);
        parts.push_back(text.substr(0, end));
        if (end == std::string_view::npos) return parts;
        text.remove_prefix(end + 1);
    }
}

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::optional<long long> number(std::string_view s) {
    s = trimmed(s);
    long long n = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return n;
}

std::optional<std::string> read_file(const std::string& path) {
    std::string text;
    int error = 0;
    if (!read_whole_file(path, text, error)) return std::nullopt;
    return text;
}

// A mount of a cgroup hierarchy: where it is mounted, and which group of the
// hierarchy is there (its root, "/" outside a container of its own).
struct hierarchy {
    std::string mount_point;
    std::string root;
};

// The mount of the v2 hierarchy (v1: of the one with the cpu controller), from /proc/self/mountinfo.
std::optional<hierarchy> mount_of(std::string_view mountinfo, bool v2) {
    for (const std::string_view line : split(mountinfo, '\n')) {
        // "id parent major:minor root mount-point options [optional fields] - type source super-options"
        const std::size_t dash = line.find(" - ");
        if (dash == std::string_view::npos) continue;
        const std::vector<std::string_view> before = split(line.substr(0, dash), ' ');
        const std::vector<std::string_view> after = split(line.substr(dash + 3), ' ');
        if (before.size() < 5 || after.size() < 3) continue;
        if (v2 ? after[0] != "cgroup2" : after[0] != "cgroup") continue;
        if (!v2) {
            const std::vector<std::string_view> options = split(after[2], ',');
            if (std::find(options.begin(), options.end(), "cpu") == options.end()) continue;
        }
        return hierarchy{std::string(before[4]), std::string(before[3])};
    }
    return std::nullopt;
}

// The least quota of the group at `path` of hierarchy `h` and of those above it.
std::optional<unsigned> least_quota(const hierarchy& h, std::string path, bool v2,
                                    const std::function<std::optional<std::string>(const std::string&)>& read) {
    // The group's folder under the mount: its path without the mount's root.
    if (h.root != "/" && path.starts_with(h.root)) path = path.substr(h.root.size());
    while (!path.empty() && path.back() == '/') path.pop_back();
    std::optional<unsigned> least;
    while (true) {
        const std::string folder = h.mount_point + path;
        std::optional<unsigned> here;
        if (v2) {
            if (const auto text = read(folder + "/cpu.max")) here = cpu_max_cpus(*text);
        } else if (const auto quota = read(folder + "/cpu.cfs_quota_us")) {
            if (const auto period = read(folder + "/cpu.cfs_period_us")) here = quota_cpus(*quota, *period);
        }
        if (here && (!least || *here < *least)) least = here;
        if (path.empty()) return least;
        const std::size_t up = path.rfind('/');
        path.resize(up == std::string::npos ? 0 : up);
    }
}

}  // namespace

std::optional<unsigned> quota_cpus(std::string_view quota, std::string_view period) {
    const std::optional<long long> q = number(quota);
    const std::optional<long long> p = number(period);
    if (!q || !p || *q <= 0 || *p <= 0) return std::nullopt;
    return static_cast<unsigned>(std::max<long long>(1, (*q + *p - 1) / *p));
}

std::optional<unsigned> cpu_max_cpus(std::string_view cpu_max) {
    const std::vector<std::string_view> parts = split(trimmed(cpu_max), ' ');
    if (parts.size() != 2 || parts[0] == "max") return std::nullopt;
    return quota_cpus(parts[0], parts[1]);
}

std::optional<unsigned> cgroup_cpu_limit(std::string_view proc_self_cgroup, std::string_view mountinfo,
                                         const std::function<std::optional<std::string>(const std::string&)>& read) {
    std::optional<unsigned> least;
    const auto take = [&](std::optional<unsigned> limit) {
        if (limit && (!least || *limit < *least)) least = limit;
    };
    for (const std::string_view line : split(proc_self_cgroup, '\n')) {
        // "id:controllers:path"; v2 is "0::path".
        const std::vector<std::string_view> fields = split(line, ':');
        if (fields.size() < 3) continue;
        const std::string path(line.substr(fields[0].size() + fields[1].size() + 2));
        const bool v2 = fields[0] == "0" && fields[1].empty();
        if (!v2) {
            const std::vector<std::string_view> controllers = split(fields[1], ',');
            if (std::find(controllers.begin(), controllers.end(), "cpu") == controllers.end()) continue;
        }
        if (const std::optional<hierarchy> h = mount_of(mountinfo, v2)) take(least_quota(*h, path, v2, read));
    }
    return least;
}

unsigned usable_cpus() {
    static const unsigned cpus = [] {
        unsigned n = std::thread::hardware_concurrency();
        cpu_set_t set;
        CPU_ZERO(&set);
        if (sched_getaffinity(0, sizeof set, &set) == 0) n = static_cast<unsigned>(CPU_COUNT(&set));
        const std::optional<std::string> cgroup = read_file("/proc/self/cgroup");
        const std::optional<std::string> mountinfo = read_file("/proc/self/mountinfo");
        if (cgroup && mountinfo)
            if (const std::optional<unsigned> limit = cgroup_cpu_limit(*cgroup, *mountinfo, read_file))
                n = std::min(n, *limit);
        return std::max(1u, n);
    }();
    return cpus;
}

}  // namespace patuh
