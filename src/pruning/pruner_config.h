// A pruner's configuration as the API receives it:
//   {"type": "median", "params": {"n_startup_trials": 5}, "wrapped": {...}}
// Parameter names, defaults and validation rules are Optuna 3.x's constructor arguments (Ray
// Tune's ASHAScheduler arguments for "asha"); docs/pruning.md lists them.
#ifndef MLCOST_PRUNING_PRUNER_CONFIG_H_
#define MLCOST_PRUNING_PRUNER_CONFIG_H_

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "mlcost/status.h"

namespace mlcost::pruning {

enum class PrunerType {
  kMedian,
  kPercentile,
  kSuccessiveHalving,
  kHyperband,
  kThreshold,
  kPatient,
  kAsha,
  kNop,
};

const char* PrunerTypeName(PrunerType type);

struct PrunerConfig {
  PrunerType type = PrunerType::kNop;

  // median / percentile (MedianPruner is PercentilePruner(50.0, ...)).
  double percentile = 50.0;       // percentile: required, 0 <= p <= 100
  int64_t n_startup_trials = 5;   // >= 0
  int64_t n_warmup_steps = 0;     // >= 0 (also threshold)
  int64_t interval_steps = 1;     // >= 1 (also threshold)
  int64_t n_min_trials = 1;       // >= 1

  // successive_halving / hyperband. nullopt means "auto".
  std::optional<int64_t> min_resource;  // SH default "auto"; hyperband default 1
  std::optional<int64_t> max_resource;  // hyperband only, default "auto"
  int64_t reduction_factor = 4;         // SH default 4, hyperband default 3; >= 2
  int64_t min_early_stopping_rate = 0;  // SH only, >= 0
  int64_t bootstrap_count = 0;          // >= 0; > 0 requires an integer min/max_resource

  // threshold: at least one bound; lower <= upper.
  double lower = -std::numeric_limits<double>::infinity();
  double upper = std::numeric_limits<double>::infinity();

  // patient
  int64_t patience = 0;    // required, >= 0
  double min_delta = 0.0;  // >= 0
  std::shared_ptr<const PrunerConfig> wrapped;  // null: prune whenever patience runs out

  // asha (Ray Tune ASHAScheduler); time_attr is accepted and ignored (the step is the time).
  double max_t = 100;
  double grace_period = 1;          // 0 < grace_period <= max_t
  double asha_reduction_factor = 4; // > 1
};

// Parses and validates a configuration. Errors are InvalidArgument naming the parameter and
// the rule (Optuna's ValueError texts where Optuna has one): unknown type, unknown parameter,
// wrong JSON type, value out of range, "wrapped" on anything but patient.
Result<PrunerConfig> ParsePrunerConfig(const nlohmann::json& json);

// The configuration back as JSON with every parameter spelled out (defaults filled in).
nlohmann::json PrunerConfigToJson(const PrunerConfig& config);

}  // namespace mlcost::pruning

#endif  // MLCOST_PRUNING_PRUNER_CONFIG_H_
