// mlcost-pruner-eval: replays a study's event log through mlcost's pruners and prints every
// decision, for tests/pruning/test_parity.py to compare with Optuna's.
//
// stdin:  {"study_name": "s", "direction": "minimize"|"maximize", "config": {pruner config},
//          "events": [["ask"], ["report", trial, step, value], ["prune", trial],
//                     ["state", trial, "complete"|"pruned"|"fail"|"running"]]}
//         values are JSON numbers or the strings "nan", "inf", "-inf".
// stdout: {"decisions": [{"prune": bool, "finish": bool, "reason": "..."}, ...]} (one per
//         "prune" event); exit 1 with a message on stderr for bad input.
#include <cmath>
#include <iostream>
#include <limits>
#include <string>

#include <nlohmann/json.hpp>

#include "pruning/pruner.h"

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
  for (const json& e : input.at("events")) {
    const std::string op = e.at(0).get<std::string>();
    if (op == "ask") {
      study.trials.emplace_back();
    } else if (op == "report") {
      RETURN_IF_ERROR(study.trials.at(e.at(1).get<size_t>())
                          .Report(e.at(2).get<int64_t>(), ParseValue(e.at(3))));
    } else if (op == "state") {
      ASSIGN_OR_RETURN(study.trials.at(e.at(1).get<size_t>()).state,
                       ParseTrialState(e.at(2).get<std::string>()));
    } else if (op == "prune") {
      const size_t trial = e.at(1).get<size_t>();
      ASSIGN_OR_RETURN(Decision d, Prune(study, trial, config));
      ApplyDecision(study, trial, d);
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
