// mlcost-pruner-eval: replays a study's event log through mlcost's pruners and prints every
// decision, for tests/pruning/test_parity.py to compare with Optuna's.
//
// stdin:  {"study_name": "s", "direction": "minimize"|"maximize", "config": {pruner config},
//          "events": [["ask"], ["report", trial, step, value], ["prune", trial],
//                     ["state", trial, "complete"|"pruned"|"fail"|"running"]]}
//         values are JSON numbers or the strings "nan", "inf", "-inf".
// stdout: {"decisions": [{"prune": bool, "finish": bool, "reason": "..."}, ...]} (one per
//         "prune" event); exit 1 with a message on stderr for bad input.
// For the median and percentile pruners the printed decision is the indexed one (the server's
// path: PercentilePruneIndexed over a StepValuesIndex kept as trials complete), and each is
// checked against the scan (pruning::Prune): a difference is an error (exit 1).
#include <cmath>
#include <iostream>
#include <limits>
#include <string>

#include <nlohmann/json.hpp>

#include "pruning/percentile_pruner.h"
#include "pruning/pruner.h"
#include "pruning/step_values_index.h"

namespace {

using nlohmann::json;
using namespace mlcost;
using namespace mlcost::pruning;

double ParseValue(const json& v) {
  if (v.is_number()) return v.get<double>();
  const std::string s = v.get<std::string>();
  if (s == "nan") return std::numeric_limits<double>::quiet_NaN();
  if (s == "inf") return std::numeric_limits<double>::infinity();
  if (s == "-inf") return -std::numeric_limits<double>::infinity();
  return std::stod(s);
}

Result<json> Run(const json& input) {
  Study study;
  study.name = input.at("study_name").get<std::string>();
  ASSIGN_OR_RETURN(study.direction, ParseDirection(input.at("direction").get<std::string>()));
  ASSIGN_OR_RETURN(PrunerConfig config, ParsePrunerConfig(input.at("config")));
  json decisions = json::array();
  const bool indexed = config.type == PrunerType::kMedian || config.type == PrunerType::kPercentile;
  StepValuesIndex index;
  bool index_stale = false;  // a complete trial left the set or reported again: rebuild
  for (const json& e : input.at("events")) {
    const std::string op = e.at(0).get<std::string>();
    if (op == "ask") {
      study.trials.emplace_back();
    } else if (op == "report") {
      Trial& trial = study.trials.at(e.at(1).get<size_t>());
      RETURN_IF_ERROR(trial.Report(e.at(2).get<int64_t>(), ParseValue(e.at(3))));
      if (trial.state == TrialState::kComplete) index_stale = true;
    } else if (op == "state") {
      Trial& trial = study.trials.at(e.at(1).get<size_t>());
      const TrialState before = trial.state;
      ASSIGN_OR_RETURN(trial.state, ParseTrialState(e.at(2).get<std::string>()));
      if (before != TrialState::kComplete && trial.state == TrialState::kComplete) {
        index.AddCompleteTrial(trial.intermediate_values);
      } else if (before == TrialState::kComplete && trial.state != TrialState::kComplete) {
        index_stale = true;
      }
    } else if (op == "prune") {
      const size_t trial = e.at(1).get<size_t>();
      ASSIGN_OR_RETURN(Decision d, Prune(study, trial, config));
      ApplyDecision(study, trial, d);
      if (indexed) {
        if (index_stale) {
          std::vector<const std::map<int64_t, double>*> complete;
          for (const Trial& t : study.trials) {
            if (t.state == TrialState::kComplete) complete.push_back(&t.intermediate_values);
          }
          index = StepValuesIndex::Build(complete);
          index_stale = false;
        }
        Decision from_index = PercentilePruneIndexed(index, study.direction, study.trials[trial], config);
        if (from_index.prune != d.prune || from_index.reason != d.reason) {
          return Internal("trial " + std::to_string(trial) + ": the indexed decision (" + from_index.reason +
                          ") differs from the scan (" + d.reason + ")");
        }
        d = std::move(from_index);
      }
      decisions.push_back({{"prune", d.prune}, {"finish", d.finish}, {"reason", d.reason}});
    } else {
      return InvalidArgument("unknown event '" + op + "'");
    }
  }
  return json{{"decisions", decisions}};
}

}  // namespace

int main() {
  json input;
  try {
    input = json::parse(std::cin);
  } catch (const std::exception& e) {
    std::cerr << "mlcost-pruner-eval: bad JSON: " << e.what() << "\n";
    return 1;
  }
  Result<json> out = [&]() -> Result<json> {
    try {
      return Run(input);
    } catch (const std::exception& e) {
      return InvalidArgument(std::string("malformed event log: ") + e.what());
    }
  }();
  if (!out.ok()) {
    std::cerr << "mlcost-pruner-eval: " << out.status().message() << "\n";
    return 1;
  }
  std::cout << out.value().dump() << "\n";
  return 0;
}
