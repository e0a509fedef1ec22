// How many processors --threads takes by default: the affinity, and the CPU
// quota of the control groups the process is in (a container's --cpus).

#include "common/cpus.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <optional>
#include <string>
#include <thread>

using namespace patuh;

namespace {

// A file system of a few files, for the readers of /sys/fs/cgroup.
struct files {
    std::map<std::string, std::string> texts;
    std::optional<std::string> operator()(const std::string& path) const {
        const auto it = texts.find(path);
        if (it == texts.end()) return std::nullopt;
        return it->second;
    }
};

const std::string v2_mounts =
    "24 30 0:22 / /sys rw,nosuid - sysfs sysfs rw\n"
    "35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec shared:9 - cgroup2 cgroup2 rw,nsdelegate\n";

const std::string v1_mounts =
    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct\n"
    "34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset\n";

}  // namespace

TEST_CASE("a CPU quota in processors, rounded up", "[cpus]") {
    CHECK(cpu_max_cpus("200000 100000\n") == 2u);
    CHECK(cpu_max_cpus("150000 100000") == 2u);  // one and a half: two may be kept busy
    CHECK(cpu_max_cpus("50000 100000") == 1u);
    CHECK(cpu_max_cpus("max 100000\n") == std::nullopt);
    CHECK(cpu_max_cpus("") == std::nullopt);
    CHECK(cpu_max_cpus("many") == std::nullopt);
    CHECK(quota_cpus("400000\n", "100000\n") == 4u);
    CHECK(quota_cpus("-1\n", "100000\n") == std::nullopt);
    CHECK(quota_cpus("x", "100000") == std::nullopt);
}

TEST_CASE("cgroup v2: the least quota of the process's group and those above it", "[cpus]") {
    files fs;
    fs.texts["/sys/fs/cgroup/cpu.max"] = "max 100000\n";
    fs.texts["/sys/fs/cgroup/system.slice/cpu.max"] = "300000 100000\n";
    fs.texts["/sys/fs/cgroup/system.slice/audit.service/cpu.max"] = "max 100000\n";
    CHECK(cgroup_cpu_limit("0::/system.slice/audit.service\n", v2_mounts, fs) == 3u);
    fs.texts["/sys/fs/cgroup/system.slice/audit.service/cpu.max"] = "100000 100000\n";
    CHECK(cgroup_cpu_limit("0::/system.slice/audit.service\n", v2_mounts, fs) == 1u);
    // A container with its own group namespace sees its group as the root.
    files container;
    container.texts["/sys/fs/cgroup/cpu.max"] = "200000 100000\n";
    CHECK(cgroup_cpu_limit("0::/\n", v2_mounts, container) == 2u);
    // No quota anywhere, or no cgroup file system.
    CHECK(cgroup_cpu_limit("0::/user.slice\n", v2_mounts, files{}) == std::nullopt);
    CHECK(cgroup_cpu_limit("0::/\n", "", container) == std::nullopt);
}

TEST_CASE("cgroup v1: the cpu controller's quota and period", "[cpus]") {
    const std::string cgroup = "4:memory:/docker/abc\n3:cpuset:/docker/abc\n2:cpu,cpuacct:/docker/abc\n1:name=systemd:/\n";
    files fs;
    fs.texts["/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us"] = "-1\n";
    fs.texts["/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us"] = "100000\n";
    fs.texts["/sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us"] = "250000\n";
    fs.texts["/sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_period_us"] = "100000\n";
    CHECK(cgroup_cpu_limit(cgroup, v1_mounts, fs) == 3u);
    // Mounted inside the container with its group as the root of the mount.
    const std::string own_root = "32 31 0:29 /docker/abc /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n";
    files inside;
    inside.texts["/sys/fs/cgroup/cpu/cpu.cfs_quota_us"] = "200000\n";
    inside.texts["/sys/fs/cgroup/cpu/cpu.cfs_period_us"] = "100000\n";
    CHECK(cgroup_cpu_limit("2:cpu:/docker/abc\n", own_root, inside) == 2u);
    // The cpu controller not mounted: nothing known.
    CHECK(cgroup_cpu_limit(cgroup, "34 31 0:31 / /sys/fs/cgroup/cpuset rw - cgroup cgroup rw,cpuset\n", fs) ==
          std::nullopt);
}

TEST_CASE("the processors this process may use: at least one, at most the machine's", "[cpus]") {
    const unsigned n = usable_cpus();
    CHECK(n >= 1);
    if (std::thread::hardware_concurrency() != 0) CHECK(n <= std::thread::hardware_concurrency());
}
