#pragma once
// How many processors this process may keep busy at once: the default of
// --threads, and whether a waiting thread may spin for a while instead of
// sleeping (it may not when there are more threads than processors: it would
// take the time of the thread it waits for).

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace patuh {

// The processors of the process's CPU affinity (taskset, a container's
// cpuset), no more than the CPU quota of its control group and of the
// groups above it allows (a container's --cpus, systemd's CPUQuota=),
// rounded up, and at least 1. Worked out once per process.
unsigned usable_cpus();

// The quota of cgroup v2's cpu.max ("200000 100000": 2 processors; "max
// 100000": none), or of cgroup v1's cpu.cfs_quota_us and cpu.cfs_period_us
// ("-1": none), in processors rounded up; nothing when there is no quota or
// the text is not one.
std::optional<unsigned> quota_cpus(std::string_view quota, std::string_view period);
std::optional<unsigned> cpu_max_cpus(std::string_view cpu_max);

// The least CPU quota, in processors, of the process's control group and
// the groups above it, from the texts of /proc/self/cgroup and
// /proc/self/mountinfo; `read` gives a file's text, or nothing when it cannot
// be read. Nothing when no group on the way has a quota.
std::optional<unsigned> cgroup_cpu_limit(std::string_view proc_self_cgroup, std::string_view mountinfo,
                                         const std::function<std::optional<std::string>(const std::string&)>& read);

}  // namespace patuh
