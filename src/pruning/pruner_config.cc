#include "pruning/pruner_config.h"

#include <cmath>
#include <set>
#include <sstream>

namespace mlcost::pruning {
namespace {

using nlohmann::json;

std::string ShortNumber(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

// Reads params one name at a time and remembers which names were read, so that a misspelt
// parameter is reported instead of silently taking its default.
class ParamReader {
 public:
  ParamReader(const json& params, std::string type) : params_(params), type_(std::move(type)) {}

  bool Has(const std::string& name) {
    known_.insert(name);
    return params_.contains(name) && !params_.at(name).is_null();
  }

  Result<int64_t> Int(const std::string& name, int64_t fallback) {
    if (!Has(name)) return fallback;
    const json& v = params_.at(name);
    if (!v.is_number_integer()) {
      return InvalidArgument(Prefix(name) + "must be an integer, got " + v.dump());
    }
    return v.get<int64_t>();
  }

  Result<double> Double(const std::string& name, double fallback) {
    if (!Has(name)) return fallback;
    const json& v = params_.at(name);
    if (!v.is_number()) return InvalidArgument(Prefix(name) + "must be a number, got " + v.dump());
    return v.get<double>();
  }

  // An integer or the string "auto" (nullopt).
  Result<std::optional<int64_t>> IntOrAuto(const std::string& name,
                                           std::optional<int64_t> fallback) {
    if (!Has(name)) return fallback;
    const json& v = params_.at(name);
    if (v.is_string() && v.get<std::string>() == "auto") return std::optional<int64_t>();
    if (v.is_number_integer()) return std::optional<int64_t>(v.get<int64_t>());
    return InvalidArgument(Prefix(name) + "must be an integer or \"auto\", got " + v.dump());
  }

  Status CheckNoUnknown() const {
    for (const auto& [key, value] : params_.items()) {
      if (!known_.contains(key)) {
        std::string names;
        for (const auto& k : known_) names += (names.empty() ? "" : ", ") + k;
        return InvalidArgument("unknown parameter '" + key + "' for pruner '" + type_ +
                               "' (accepted: " + names + ")");
      }
    }
    return Status::Ok();
  }

  std::string Prefix(const std::string& name) const {
    return "pruner '" + type_ + "': parameter '" + name + "' ";
  }

 private:
  const json& params_;
  std::string type_;
  std::set<std::string> known_;
};

Status Check(bool ok, const std::string& message) {
  return ok ? Status::Ok() : InvalidArgument(message);
}

Status ParsePercentileParams(ParamReader& r, PrunerConfig& c) {
  if (c.type == PrunerType::kPercentile) {
    if (!r.Has("percentile")) return InvalidArgument(r.Prefix("percentile") + "is required");
    ASSIGN_OR_RETURN(c.percentile, r.Double("percentile", 50.0));
    RETURN_IF_ERROR(Check(0.0 <= c.percentile && c.percentile <= 100,
                          "Percentile must be between 0 and 100 inclusive but got " +
                              ShortNumber(c.percentile) + "."));
  }
  ASSIGN_OR_RETURN(c.n_startup_trials, r.Int("n_startup_trials", 5));
  ASSIGN_OR_RETURN(c.n_warmup_steps, r.Int("n_warmup_steps", 0));
  ASSIGN_OR_RETURN(c.interval_steps, r.Int("interval_steps", 1));
  ASSIGN_OR_RETURN(c.n_min_trials, r.Int("n_min_trials", 1));
  RETURN_IF_ERROR(Check(c.n_startup_trials >= 0,
                        "Number of startup trials cannot be negative but got " +
                            std::to_string(c.n_startup_trials) + "."));
  RETURN_IF_ERROR(Check(c.n_warmup_steps >= 0, "Number of warmup steps cannot be negative but got " +
                                                   std::to_string(c.n_warmup_steps) + "."));
  RETURN_IF_ERROR(Check(c.interval_steps >= 1,
                        "Pruning interval steps must be at least 1 but got " +
                            std::to_string(c.interval_steps) + "."));
  return Check(c.n_min_trials >= 1, "Number of trials for pruning must be at least 1 but got " +
                                        std::to_string(c.n_min_trials) + ".");
}

Status CheckHalvingParams(const PrunerConfig& c) {
  if (c.min_resource && *c.min_resource < 1) {
    return InvalidArgument("The value of `min_resource` is " + std::to_string(*c.min_resource) +
                           ", but must be either `min_resource >= 1` or 'auto'");
  }
  RETURN_IF_ERROR(Check(c.reduction_factor >= 2,
                        "The value of `reduction_factor` is " +
                            std::to_string(c.reduction_factor) +
                            ", but must be `reduction_factor >= 2`"));
  RETURN_IF_ERROR(Check(c.min_early_stopping_rate >= 0,
                        "The value of `min_early_stopping_rate` is " +
                            std::to_string(c.min_early_stopping_rate) +
                            ", but must be `min_early_stopping_rate >= 0`"));
  return Check(c.bootstrap_count >= 0, "The value of `bootstrap_count` is " +
                                           std::to_string(c.bootstrap_count) +
                                           ", but must be `bootstrap_count >= 0`");
}

Status ParseSuccessiveHalvingParams(ParamReader& r, PrunerConfig& c) {
  ASSIGN_OR_RETURN(c.min_resource, r.IntOrAuto("min_resource", std::nullopt));
  ASSIGN_OR_RETURN(c.reduction_factor, r.Int("reduction_factor", 4));
  ASSIGN_OR_RETURN(c.min_early_stopping_rate, r.Int("min_early_stopping_rate", 0));
  ASSIGN_OR_RETURN(c.bootstrap_count, r.Int("bootstrap_count", 0));
  RETURN_IF_ERROR(CheckHalvingParams(c));
  return Check(!(c.bootstrap_count > 0 && !c.min_resource),
               "bootstrap_count > 0 and min_resource == 'auto' are mutually incompatible, "
               "bootstrap_count is " + std::to_string(c.bootstrap_count));
}

// Optuna checks Hyperband's min_resource and reduction_factor only when the first bracket is
// built (inside prune()); mlcost rejects them when the configuration is set.
Status ParseHyperbandParams(ParamReader& r, PrunerConfig& c) {
  ASSIGN_OR_RETURN(int64_t min_resource, r.Int("min_resource", 1));
  c.min_resource = min_resource;
  ASSIGN_OR_RETURN(c.max_resource, r.IntOrAuto("max_resource", std::nullopt));
  ASSIGN_OR_RETURN(c.reduction_factor, r.Int("reduction_factor", 3));
  ASSIGN_OR_RETURN(c.bootstrap_count, r.Int("bootstrap_count", 0));
  RETURN_IF_ERROR(CheckHalvingParams(c));
  if (c.max_resource && *c.max_resource < 1) {
    return InvalidArgument("The value of `max_resource` is " + std::to_string(*c.max_resource) +
                           ", but must be either `max_resource >= 1` or 'auto'");
  }
  return Check(!(c.bootstrap_count > 0 && !c.max_resource),
               "bootstrap_count > 0 and max_resource == 'auto' are mutually incompatible, "
               "bootstrap_count is " + std::to_string(c.bootstrap_count));
}

Status ParseThresholdParams(ParamReader& r, PrunerConfig& c) {
  const bool has_lower = r.Has("lower");
  const bool has_upper = r.Has("upper");
  if (!has_lower && !has_upper) return InvalidArgument("Either lower or upper must be specified.");
  ASSIGN_OR_RETURN(c.lower, r.Double("lower", c.lower));
  ASSIGN_OR_RETURN(c.upper, r.Double("upper", c.upper));
  RETURN_IF_ERROR(Check(!(c.lower > c.upper), "lower should be smaller than upper."));
  ASSIGN_OR_RETURN(c.n_warmup_steps, r.Int("n_warmup_steps", 0));
  ASSIGN_OR_RETURN(c.interval_steps, r.Int("interval_steps", 1));
  RETURN_IF_ERROR(Check(c.n_warmup_steps >= 0, "Number of warmup steps cannot be negative but got " +
                                                   std::to_string(c.n_warmup_steps) + "."));
  return Check(c.interval_steps >= 1, "Pruning interval steps must be at least 1 but got " +
                                          std::to_string(c.interval_steps) + ".");
}

Status ParsePatientParams(ParamReader& r, PrunerConfig& c) {
  if (!r.Has("patience")) return InvalidArgument(r.Prefix("patience") + "is required");
  ASSIGN_OR_RETURN(c.patience, r.Int("patience", 0));
  ASSIGN_OR_RETURN(c.min_delta, r.Double("min_delta", 0.0));
  RETURN_IF_ERROR(Check(c.patience >= 0, "patience cannot be negative but got " +
                                             std::to_string(c.patience) + "."));
  return Check(c.min_delta >= 0,
               "min_delta cannot be negative but got " + ShortNumber(c.min_delta) + ".");
}

Status ParseAshaParams(ParamReader& r, PrunerConfig& c) {
  (void)r.Has("time_attr");  // accepted and ignored: the metric's step is the time
  ASSIGN_OR_RETURN(c.max_t, r.Double("max_t", 100));
  ASSIGN_OR_RETURN(c.grace_period, r.Double("grace_period", 1));
  ASSIGN_OR_RETURN(c.asha_reduction_factor, r.Double("reduction_factor", 4));
  ASSIGN_OR_RETURN(int64_t brackets, r.Int("brackets", 1));
  RETURN_IF_ERROR(Check(c.max_t > 0, "Max (time_attr) not valid! (max_t must be > 0)"));
  RETURN_IF_ERROR(Check(c.max_t >= c.grace_period, "grace_period must be <= max_t!"));
  RETURN_IF_ERROR(Check(c.grace_period > 0, "grace_period must be positive!"));
  RETURN_IF_ERROR(
      Check(c.asha_reduction_factor > 1, "Reduction Factor not valid! (reduction_factor must be > 1)"));
  RETURN_IF_ERROR(Check(brackets > 0, "brackets must be positive!"));
  return Check(brackets == 1,
               "pruner 'asha': parameter 'brackets' must be 1 (Ray Tune assigns trials to "
               "several brackets at random, which no server can reproduce)");
}

Result<PrunerType> ParseType(const json& j) {
  if (!j.contains("type") || !j.at("type").is_string()) {
    return InvalidArgument("pruner config needs \"type\": one of median, percentile, "
                           "successive_halving, hyperband, threshold, patient, asha, nop");
  }
  const std::string t = j.at("type").get<std::string>();
  for (PrunerType type : {PrunerType::kMedian, PrunerType::kPercentile,
                          PrunerType::kSuccessiveHalving, PrunerType::kHyperband,
                          PrunerType::kThreshold, PrunerType::kPatient, PrunerType::kAsha,
                          PrunerType::kNop}) {
    if (t == PrunerTypeName(type)) return type;
  }
  return InvalidArgument("unknown pruner type '" + t +
                         "': expected one of median, percentile, successive_halving, "
                         "hyperband, threshold, patient, asha, nop");
}

}  // namespace

const char* PrunerTypeName(PrunerType type) {
  switch (type) {
    case PrunerType::kMedian: return "median";
    case PrunerType::kPercentile: return "percentile";
    case PrunerType::kSuccessiveHalving: return "successive_halving";
    case PrunerType::kHyperband: return "hyperband";
    case PrunerType::kThreshold: return "threshold";
    case PrunerType::kPatient: return "patient";
    case PrunerType::kAsha: return "asha";
    case PrunerType::kNop: return "nop";
  }
  return "nop";
}

Result<PrunerConfig> ParsePrunerConfig(const json& j) {
  if (!j.is_object()) return InvalidArgument("pruner config must be a JSON object");
  for (const auto& [key, value] : j.items()) {
    if (key != "type" && key != "params" && key != "wrapped") {
      return InvalidArgument("unknown pruner config field '" + key +
                             "' (accepted: type, params, wrapped)");
    }
  }
  PrunerConfig c;
  ASSIGN_OR_RETURN(c.type, ParseType(j));
  static const json kEmpty = json::object();
  const json& params = j.contains("params") && !j.at("params").is_null() ? j.at("params") : kEmpty;
  if (!params.is_object()) return InvalidArgument("pruner config \"params\" must be a JSON object");
  ParamReader r(params, PrunerTypeName(c.type));
  switch (c.type) {
    case PrunerType::kMedian:
    case PrunerType::kPercentile: RETURN_IF_ERROR(ParsePercentileParams(r, c)); break;
    case PrunerType::kSuccessiveHalving: RETURN_IF_ERROR(ParseSuccessiveHalvingParams(r, c)); break;
    case PrunerType::kHyperband: RETURN_IF_ERROR(ParseHyperbandParams(r, c)); break;
    case PrunerType::kThreshold: RETURN_IF_ERROR(ParseThresholdParams(r, c)); break;
    case PrunerType::kPatient: RETURN_IF_ERROR(ParsePatientParams(r, c)); break;
    case PrunerType::kAsha: RETURN_IF_ERROR(ParseAshaParams(r, c)); break;
    case PrunerType::kNop: break;
  }
  RETURN_IF_ERROR(r.CheckNoUnknown());
  const bool has_wrapped = j.contains("wrapped") && !j.at("wrapped").is_null();
  if (has_wrapped && c.type != PrunerType::kPatient) {
    return InvalidArgument("\"wrapped\" is only accepted by the patient pruner, not by '" +
                           std::string(PrunerTypeName(c.type)) + "'");
  }
  if (has_wrapped) {
    Result<PrunerConfig> inner = ParsePrunerConfig(j.at("wrapped"));
    if (!inner.ok()) return InvalidArgument("wrapped pruner: " + inner.status().message());
    c.wrapped = std::make_shared<const PrunerConfig>(std::move(inner).value());
  }
  return c;
}

json PrunerConfigToJson(const PrunerConfig& c) {
  json params = json::object();
  auto int_or_auto = [](const std::optional<int64_t>& v) { return v ? json(*v) : json("auto"); };
  switch (c.type) {
    case PrunerType::kPercentile: params["percentile"] = c.percentile; [[fallthrough]];
    case PrunerType::kMedian:
      params["n_startup_trials"] = c.n_startup_trials;
      params["n_warmup_steps"] = c.n_warmup_steps;
      params["interval_steps"] = c.interval_steps;
      params["n_min_trials"] = c.n_min_trials;
      break;
    case PrunerType::kSuccessiveHalving:
      params["min_resource"] = int_or_auto(c.min_resource);
      params["reduction_factor"] = c.reduction_factor;
      params["min_early_stopping_rate"] = c.min_early_stopping_rate;
      params["bootstrap_count"] = c.bootstrap_count;
      break;
    case PrunerType::kHyperband:
      params["min_resource"] = int_or_auto(c.min_resource);
      params["max_resource"] = int_or_auto(c.max_resource);
      params["reduction_factor"] = c.reduction_factor;
      params["bootstrap_count"] = c.bootstrap_count;
      break;
    case PrunerType::kThreshold:
      params["lower"] = std::isinf(c.lower) ? json(nullptr) : json(c.lower);
      params["upper"] = std::isinf(c.upper) ? json(nullptr) : json(c.upper);
      params["n_warmup_steps"] = c.n_warmup_steps;
      params["interval_steps"] = c.interval_steps;
      break;
    case PrunerType::kPatient:
      params["patience"] = c.patience;
      params["min_delta"] = c.min_delta;
      break;
    case PrunerType::kAsha:
      params["max_t"] = c.max_t;
      params["grace_period"] = c.grace_period;
      params["reduction_factor"] = c.asha_reduction_factor;
      params["brackets"] = 1;
      break;
    case PrunerType::kNop: break;
  }
  json out = {{"type", PrunerTypeName(c.type)}, {"params", params}};
  if (c.wrapped) out["wrapped"] = PrunerConfigToJson(*c.wrapped);
  return out;
}

}  // namespace mlcost::pruning
