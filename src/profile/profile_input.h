// Loads the metric histories a GPU profile is computed from (gpu_profile.h) out of the tracking
// store, for any run that logged MLflow-style system/ metrics, whoever logged them.
#ifndef MLCOST_PROFILE_PROFILE_INPUT_H_
#define MLCOST_PROFILE_PROFILE_INPUT_H_

#include <string>

#include "mlcost/records.h"
#include "mlcost/status.h"
#include "profile/gpu_profile.h"
#include "tracking/tracking_service.h"

namespace mlcost::profile {

// Run tags `mlcost run` sets: logical CPUs of the machine, and the GPU names by NVML index
// joined with ", ".
inline constexpr char kTagCpuCount[] = "mlcost.cpu_count";
inline constexpr char kTagGpuNames[] = "mlcost.gpu_names";

// The GPU index of a per-GPU system metric key ("system/gpu_3_power_usage_watts" -> 3); -1 for
// any other key.
int GpuIndexOfKey(const std::string& key);

// Every GPU with a system/gpu_N_* metric in `run` (its latest metrics) gets a GpuSeries with the
// full histories; the CPU and disk series and mlcost.cpu_count are read too. `cost` is left
// unset: the caller prices the run. Errors are the store's (Internal) or NotFound for a run
// deleted meanwhile.
Result<ProfileInput> LoadProfileInput(tracking::TrackingService& tracking, const Run& run);

}  // namespace mlcost::profile

#endif  // MLCOST_PROFILE_PROFILE_INPUT_H_
