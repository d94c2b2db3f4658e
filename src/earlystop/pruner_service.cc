#include "earlystop/pruner_service.h"

#include <algorithm>
#include <cstdlib>

#include "earlystop/study_loader.h"
#include "tracking/read_pool.h"
#include "pruning/decision.h"
#include "pruning/pruner.h"

namespace mlcost::earlystop {
namespace {

using nlohmann::json;

}  // namespace

Result<ExperimentPruner> ParseExperimentPruner(const json& body) {
  if (!body.is_object()) return InvalidArgument("the pruner must be a JSON object");
  ExperimentPruner out;
  if (!body.contains("metric") || !body["metric"].is_string() || body["metric"].get<std::string>().empty()) {
    return InvalidArgument("field 'metric' (the metric the pruner judges, e.g. \"val_loss\") is required");
  }
  out.metric = body["metric"].get<std::string>();
  std::string direction = "minimize";
  if (body.contains("direction")) {
    if (!body["direction"].is_string()) return InvalidArgument("field 'direction' must be \"minimize\" or \"maximize\"");
    direction = body["direction"].get<std::string>();
  }
  ASSIGN_OR_RETURN(out.direction, pruning::ParseDirection(direction));
  json config = json::object();
  for (const char* key : {"type", "params", "wrapped"}) {
    if (body.contains(key)) config[key] = body[key];
  }
  for (const auto& [key, value] : body.items()) {
    if (key != "metric" && key != "direction" && key != "type" && key != "params" && key != "wrapped") {
      return InvalidArgument("unknown field '" + key + "' (expected metric, direction, type, params, wrapped)");
    }
  }
  ASSIGN_OR_RETURN(out.config, pruning::ParsePrunerConfig(config));
  return out;
}

json ExperimentPrunerToJson(const ExperimentPruner& pruner) {
  json out = pruning::PrunerConfigToJson(pruner.config);
  out["metric"] = pruner.metric;
  out["direction"] = pruning::DirectionName(pruner.direction);
  return out;
}

Status PrunerService::Set(const std::string& experiment_id, const ExperimentPruner& pruner) {
  RETURN_IF_ERROR(tracking_.GetExperiment(experiment_id).status());
  if (index_ != nullptr) index_->Forget(experiment_id);
  return tracking_.SetExperimentTag(experiment_id, kPrunerTag, ExperimentPrunerToJson(pruner).dump());
}

Result<std::optional<ExperimentPruner>> PrunerOf(const Experiment& experiment) {
  const std::string* text = FindKey(experiment.tags, kPrunerTag);
  if (text == nullptr || text->empty()) return std::optional<ExperimentPruner>();
  json stored = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  Result<ExperimentPruner> parsed = ParseExperimentPruner(stored);
  if (!parsed.ok()) {
    return Internal("experiment " + experiment.experiment_id + " has an unreadable pruner (tag " + kPrunerTag +
                    "): " + parsed.status().message());
  }
  return std::optional<ExperimentPruner>(std::move(*parsed));
}

Result<std::optional<ExperimentPruner>> PrunerService::Get(const std::string& experiment_id) {
  ASSIGN_OR_RETURN(Experiment experiment, tracking_.GetExperiment(experiment_id));
  return PrunerOf(experiment);
}

Result<std::optional<PrunerService::RunPruner>> PrunerService::PrunerOfRun(const std::string& run_id) {
  ASSIGN_OR_RETURN(auto conn, tracking_.reads().Acquire());
  ASSIGN_OR_RETURN(auto rows, conn->Run("SELECT CAST(r.experiment_id AS VARCHAR), e.name, t.value FROM runs r "
                                        "JOIN experiments e ON e.experiment_id = r.experiment_id JOIN "
                                        "experiment_tags t ON t.experiment_id = r.experiment_id WHERE r.run_id = ? "
                                        "AND t.key = ?",
                                        run_id, std::string(kPrunerTag)));
  if (rows.RowCount() == 0) return std::optional<RunPruner>();
  Experiment experiment;
  experiment.experiment_id = rows.GetString(0, 0);
  experiment.tags.push_back({kPrunerTag, rows.GetString(2, 0)});
  ASSIGN_OR_RETURN(std::optional<ExperimentPruner> pruner, PrunerOf(experiment));
  if (!pruner) return std::optional<RunPruner>();
  return std::optional<RunPruner>(RunPruner{rows.GetString(1, 0), std::move(*pruner)});
}

Status PrunerService::Clear(const std::string& experiment_id) {
  RETURN_IF_ERROR(tracking_.GetExperiment(experiment_id).status());
  if (index_ != nullptr) index_->Forget(experiment_id);
  return tracking_.SetExperimentTag(experiment_id, kPrunerTag, "");
}

Result<StopDecision> PrunerService::Decide(const Run& run, const std::vector<Metric>* logged) {
  ASSIGN_OR_RETURN(Experiment experiment, tracking_.GetExperiment(run.info.experiment_id));
  ASSIGN_OR_RETURN(std::optional<ExperimentPruner> pruner, PrunerOf(experiment));
  if (!pruner) return StopDecision{};
  return Decide(run, RunPruner{experiment.name, std::move(*pruner)}, logged);
}

Result<StopDecision> PrunerService::Decide(const Run& run, const RunPruner& judge, const std::vector<Metric>* logged) {
  const std::string& run_id = run.info.run_id;
  const ExperimentPruner* pruner = &judge.pruner;
  if (logged != nullptr &&
      std::none_of(logged->begin(), logged->end(), [&](const Metric& m) { return m.key == pruner->metric; })) {
    return StopDecision{};
  }
  if (logged != nullptr && index_ != nullptr && run.info.status == "FINISHED") {
    index_->Forget(run.info.experiment_id);  // a complete trial's history changed under the index
  }
  StopDecision answer;
  answer.pruner = pruning::PrunerTypeName(pruner->config.type);
  if (const std::string* pruned = FindKey(run.tags, kPrunedReasonTag); pruned != nullptr && !pruned->empty()) {
    answer.stop = true;
    answer.reason = *pruned;
    return answer;
  }
  if (const std::string* finished = FindKey(run.tags, kFinishReasonTag); finished != nullptr && !finished->empty()) {
    answer.stop = answer.finish = true;
    answer.reason = *finished;
    return answer;
  }
  if (run.info.status != "RUNNING") {
    answer.reason = "run is " + run.info.status;
    return answer;
  }

  tracking::LogBatchRequest batch;
  batch.run_id = run_id;
  pruning::Decision decision;
  if (index_ != nullptr && IndexedPrunerType(pruner->config.type)) {
    ASSIGN_OR_RETURN(decision, index_->Decide(tracking_, run, pruner->metric, pruner->direction, pruner->config));
  } else {
    ASSIGN_OR_RETURN(LoadedStudy loaded, LoadStudy(tracking_, run.info.experiment_id, pruner->metric));
    pruning::Study& study = loaded.study;
    study.name = judge.experiment_name;
    study.direction = pruner->direction;
    std::optional<size_t> number;
    for (size_t i = 0; i < loaded.run_ids.size(); ++i) {
      if (loaded.run_ids[i] == run_id) number = i;
    }
    if (!number) return Internal("run " + run_id + " is missing from its experiment's runs");
    ASSIGN_OR_RETURN(decision, pruning::Prune(study, *number, pruner->config));
    const pruning::Trial& trial = study.trials[*number];
    for (const auto& [name, value] : decision.system_attrs) {
      auto known = trial.system_attrs.find(name);
      if (known == trial.system_attrs.end() || known->second != value) {
        batch.tags.push_back({kAttrTagPrefix + name, pruning::FormatNumber(value)});
      }
    }
  }
  answer.stop = decision.prune || decision.finish;
  answer.finish = decision.finish && !decision.prune;
  answer.reason = answer.stop ? answer.pruner + " pruner: " + decision.reason : decision.reason;
  if (answer.stop) batch.tags.push_back({answer.finish ? kFinishReasonTag : kPrunedReasonTag, answer.reason});
  if (!batch.tags.empty()) RETURN_IF_ERROR(tracking_.LogBatch(batch));
  return answer;
}

}  // namespace mlcost::earlystop
