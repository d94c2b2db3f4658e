// OomCounter: how many processes the kernel's OOM killer has killed in this process's cgroup
// (cgroup v2 memory.events "oom_kill"). A SIGKILLed job is classified oom_killed when the count
// grew while it ran. Without cgroup v2 (or unreadable files) there is no count and an OOM kill
// is reported as a plain crash (SIGKILL).
#ifndef MLCOST_AGENT_OOM_COUNTER_H_
#define MLCOST_AGENT_OOM_COUNTER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mlcost::agent {

// The "oom_kill N" value of a memory.events text; nullopt when absent or malformed.
std::optional<int64_t> ParseOomKillCount(std::string_view memory_events);

// The cgroup v2 path of this process ("/user.slice/x.scope") from /proc/self/cgroup text ("0::PATH"
// line); nullopt without one.
std::optional<std::string> ParseCgroupV2Path(std::string_view proc_self_cgroup);

// The current count for this process's cgroup, reading /proc/self/cgroup and
// /sys/fs/cgroup/PATH/memory.events (or MLCOST_MEMORY_EVENTS_FILE when set, for tests).
std::optional<int64_t> ReadOomKillCount();

}  // namespace mlcost::agent

#endif  // MLCOST_AGENT_OOM_COUNTER_H_
