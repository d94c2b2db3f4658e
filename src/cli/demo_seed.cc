#include "cli/demo_seed.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <utility>

#include "cli/api_queries.h"

namespace mlcost::cli {
namespace {

using nlohmann::json;

constexpr int64_t kMsPerMinute = 60 * 1000;

struct DemoRun {
  const char* name;
  const char* user;
  const char* instance_type;
  const char* accelerator;
  const char* gpu_count;
  const char* pricing;
  int64_t started_minutes_ago;
  int64_t duration_minutes;  // -1: still running
  int steps;                 // metric points logged so far
  double rate;               // how fast the loss falls
  std::vector<std::pair<const char*, const char*>> params;
};

struct DemoExperiment {
  const char* name;
  const char* team;
  const char* project;
  bool llm;  // metrics loss/eval_loss instead of loss/accuracy
  std::vector<DemoRun> runs;
};

// clang-format off
std::vector<DemoExperiment> DemoExperiments() {
  return {
      {"demo-image-classifier", "vision", "image-classifier", false,
       {{"resnet50-lr0.1", "alice", "p3.2xlarge", "V100", "1", "on-demand", 360, 120, 20, 0.20,
         {{"lr", "0.1"}, {"batch_size", "64"}, {"epochs", "20"}, {"model", "resnet50"}}},
        {"resnet50-lr0.03-spot", "bob", "p3.2xlarge", "V100", "1", "spot", 300, 95, 20, 0.15,
         {{"lr", "0.03"}, {"batch_size", "128"}, {"epochs", "20"}, {"model", "resnet50"}}},
        {"resnet50-lr0.01", "alice", "p3.2xlarge", "V100", "1", "on-demand", 45, -1, 12, 0.10,
         {{"lr", "0.01"}, {"batch_size", "64"}, {"epochs", "20"}, {"model", "resnet50"}}}}},
      {"demo-llm-finetune", "llm", "support-chatbot", true,
       {{"llama3-8b-lora", "carol", "p4d.24xlarge", "A100", "8", "on-demand", 180, 110, 20, 0.12,
         {{"base_model", "llama-3-8b"}, {"lora_rank", "16"}, {"lr", "0.0002"}, {"batch_size", "8"}}}}},
  };
}
// clang-format on

json KeyValues(const std::vector<std::pair<std::string, std::string>>& pairs) {
  json out = json::array();
  for (const auto& [k, v] : pairs) out.push_back({{"key", k}, {"value", v}});
  return out;
}

// Deterministic, plausible training curves: an exponential fall with a little wobble.
json MetricHistory(const DemoExperiment& experiment, const DemoRun& run, int64_t start_ms, int64_t span_ms) {
  json metrics = json::array();
  for (int i = 0; i < run.steps; ++i) {
    int64_t timestamp = start_ms + span_ms * (i + 1) / run.steps;
    double fall = std::exp(-run.rate * i);
    double wobble = 0.02 * std::sin(1.7 * i + run.rate * 10);
    double loss = experiment.llm ? 1.05 + 1.4 * fall + wobble : 0.22 + 2.08 * fall + wobble;
    metrics.push_back({{"key", "loss"}, {"value", loss}, {"timestamp", timestamp}, {"step", i}});
    if (experiment.llm) {
      metrics.push_back({{"key", "eval_loss"},
                         {"value", loss + 0.08 + 0.01 * i / run.steps},
                         {"timestamp", timestamp},
                         {"step", i}});
    } else {
      double accuracy = 0.93 - 0.83 * fall - wobble / 2;
      metrics.push_back({{"key", "accuracy"}, {"value", accuracy}, {"timestamp", timestamp}, {"step", i}});
    }
  }
  return metrics;
}

// Creates one run with its tags, params and metrics; finishes it unless it is still running.
Result<std::string> SeedRun(ApiClient& client, const std::string& experiment_id,
                            const DemoExperiment& experiment, const DemoRun& run, int64_t now_ms) {
  int64_t start_ms = now_ms - run.started_minutes_ago * kMsPerMinute;
  bool running = run.duration_minutes < 0;
  int64_t span_ms = running ? now_ms - start_ms : run.duration_minutes * kMsPerMinute;
  json tags = KeyValues({{"mlcost.instance_type", run.instance_type},
                         {"mlcost.provider", "aws"},
                         {"mlcost.region", "us-east-1"},
                         {"mlcost.pricing", run.pricing},
                         {"mlcost.gpu_count", run.gpu_count},
                         {"mlcost.accelerator", run.accelerator},
                         {"mlcost.team", experiment.team},
                         {"mlcost.project", experiment.project},
                         {"mlflow.user", run.user},
                         {"mlflow.source.name", "train.py"}});
  ASSIGN_OR_RETURN(json created, client.Post("/api/2.0/mlflow/runs/create", {{"experiment_id", experiment_id},
                                                                             {"user_id", run.user},
                                                                             {"run_name", run.name},
                                                                             {"start_time", start_ms},
                                                                             {"tags", tags}}));
  std::string run_id = JsonString(Field(Field(created, "run"), "info"), "run_id");
  if (run_id.empty()) return Internal("runs/create answered without a run id: " + created.dump());

  std::vector<std::pair<std::string, std::string>> params(run.params.begin(), run.params.end());
  RETURN_IF_ERROR(client
                      .Post("/api/2.0/mlflow/runs/log-batch",
                            {{"run_id", run_id},
                             {"params", KeyValues(params)},
                             {"metrics", MetricHistory(experiment, run, start_ms, span_ms)}})
                      .status());
  if (!running) {
    RETURN_IF_ERROR(client
                        .Post("/api/2.0/mlflow/runs/update",
                              {{"run_id", run_id}, {"status", "FINISHED"}, {"end_time", start_ms + span_ms}})
                        .status());
  }
  return run_id;
}

// Teams, users and projects through /api/v1. Never fails: problems become warnings.
void SeedOrganization(ApiClient& client, std::vector<std::string>& warnings) {
  const std::pair<const char*, json> writes[] = {
      {"/api/v1/teams", {{"name", "vision"}, {"description", "Computer vision"}}},
      {"/api/v1/teams", {{"name", "llm"}, {"description", "Language models"}}},
      {"/api/v1/users", {{"name", "alice"}, {"team", "vision"}, {"email", "alice@example.com"}}},
      {"/api/v1/users", {{"name", "bob"}, {"team", "vision"}, {"email", "bob@example.com"}}},
      {"/api/v1/users", {{"name", "carol"}, {"team", "llm"}, {"email", "carol@example.com"}}},
      {"/api/v1/projects",
       {{"name", "image-classifier"}, {"team", "vision"}, {"description", "Product photos"}}},
      {"/api/v1/projects",
       {{"name", "support-chatbot"}, {"team", "llm"}, {"description", "Support assistant"}}},
  };
  for (const auto& [path, body] : writes) {
    Status status = client.Post(path, body).status();
    if (status.ok() || status.code() == StatusCode::kAlreadyExists) continue;
    if (IsMissingEndpoint(status)) {
      warnings.push_back(std::string("this server has no ") + path +
                         " yet: skipped teams, users and projects (runs still carry mlcost.team and "
                         "mlcost.project tags)");
      return;
    }
    warnings.push_back(std::string("POST ") + path + " " + body.value("name", "") + ": " + status.message());
  }
}

// A demo run for the examples: a RUNNING one if there is one.
Result<std::string> FindExampleRun(ApiClient& client, const std::vector<json>& experiments) {
  RunQuery query;
  for (const json& e : experiments) query.experiment_ids.push_back(JsonString(e, "id"));
  query.max_results = 1;
  query.filter = "attributes.status = 'RUNNING'";
  ASSIGN_OR_RETURN(Listing running, ListRuns(client, query));
  if (!running.items.empty()) return JsonString(running.items[0], "id");
  query.filter.clear();
  ASSIGN_OR_RETURN(Listing any, ListRuns(client, query));
  return any.items.empty() ? std::string() : JsonString(any.items[0], "id");
}

}  // namespace

Result<DemoSeedResult> SeedDemo(ApiClient& client, int64_t now_ms) {
  DemoSeedResult result;
  ExperimentQuery existing;
  existing.view = "all";
  existing.filter = std::string("name LIKE '") + kDemoExperimentPrefix + "%'";
  ASSIGN_OR_RETURN(Listing found, ListExperiments(client, existing));
  if (!found.items.empty()) {
    result.experiments = static_cast<int>(found.items.size());
    ASSIGN_OR_RETURN(result.example_run_id, FindExampleRun(client, found.items));
  } else {
    result.seeded = true;
    SeedOrganization(client, result.warnings);
    for (const DemoExperiment& experiment : DemoExperiments()) {
      json tags = KeyValues({{"mlcost.project", experiment.project}, {"mlcost.team", experiment.team}});
      ASSIGN_OR_RETURN(json created, client.Post("/api/2.0/mlflow/experiments/create",
                                                 {{"name", experiment.name}, {"tags", tags}}));
      std::string experiment_id = JsonString(created, "experiment_id");
      ++result.experiments;
      for (const DemoRun& run : experiment.runs) {
        ASSIGN_OR_RETURN(std::string run_id, SeedRun(client, experiment_id, experiment, run, now_ms));
        ++result.runs;
        if (run.duration_minutes < 0 && result.example_run_id.empty()) result.example_run_id = run_id;
      }
    }
  }
  if (!result.example_run_id.empty()) {
    Status v1 = client.Get("/api/v1/runs/" + result.example_run_id).status();
    result.has_v1 = v1.ok();
    if (IsMissingEndpoint(v1)) {
      result.warnings.push_back("this server has no /api/v1/runs yet: `runs show` prints cost as unknown");
    }
  }
  return result;
}

}  // namespace mlcost::cli
