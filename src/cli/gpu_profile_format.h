// The GPU profile section of `mlcost runs show` from GET /api/v1/runs/{id}/gpu-profile
// (docs/api.md). Pure, tested without a server.
#ifndef MLCOST_CLI_GPU_PROFILE_FORMAT_H_
#define MLCOST_CLI_GPU_PROFILE_FORMAT_H_

#include <nlohmann/json.hpp>
#include <string>

namespace mlcost::cli {

// "GPU profile: ..." lines: per GPU its utilisation, memory, power and energy, then one line per
// finding with its money impact. "GPU profile: none (<note>)" when the run has no GPU series.
std::string GpuProfileText(const nlohmann::json& profile);

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_GPU_PROFILE_FORMAT_H_
