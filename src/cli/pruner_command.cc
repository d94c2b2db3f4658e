#include "cli/pruner_command.h"

#include <cstdio>
#include <memory>

#include "cli/api_client.h"
#include "cli/api_queries.h"
#include "cli/exit_code.h"
#include "cli/target.h"

namespace mlcost::cli {
namespace {

using nlohmann::json;

struct PrunerOptions {
  TargetOptions target;
  std::string experiment;
  std::string metric;
  std::string direction = "minimize";
  std::string type;
  std::vector<std::string> params;
  std::string wrapped;  // JSON
  bool json = false;
};

std::string PrunerPath(const std::string& experiment_id) {
  return "/api/v1/experiments/" + experiment_id + "/pruner";
}

void Print(const json& pruner, bool as_json) {
  if (as_json) {
    std::printf("%s\n", pruner.dump(2).c_str());
    return;
  }
  std::printf("metric: %s (%s)\ntype: %s\n", pruner.value("metric", "").c_str(),
              pruner.value("direction", "").c_str(), pruner.value("type", "").c_str());
  if (pruner.contains("params") && pruner["params"].is_object()) {
    for (const auto& [key, value] : pruner["params"].items()) std::printf("  %s = %s\n", key.c_str(), value.dump().c_str());
  }
  if (pruner.contains("wrapped") && !pruner["wrapped"].is_null()) {
    std::printf("wrapped: %s\n", pruner["wrapped"].dump().c_str());
  }
}

int Run(const char* command, const PrunerOptions& options, const char* method) {
  auto target = Target::Open(options.target);
  if (!target.ok()) return ReportError(command, target.status());
  ApiClient& client = (*target)->client();
  auto experiment_id = ResolveExperimentId(client, options.experiment);
  if (!experiment_id.ok()) return ReportError(command, experiment_id.status());
  std::string path = PrunerPath(*experiment_id);
  Result<json> answer = Status::Ok();
  if (std::string(method) == "PUT") {
    json body = {{"metric", options.metric}, {"direction", options.direction}, {"type", options.type}};
    auto params = ParsePrunerParams(options.params);
    if (!params.ok()) return ReportError(command, params.status());
    body["params"] = *params;
    if (!options.wrapped.empty()) {
      json wrapped = json::parse(options.wrapped, nullptr, false);
      if (wrapped.is_discarded()) {
        return ReportError(command, InvalidArgument("--wrapped is not JSON: " + options.wrapped));
      }
      body["wrapped"] = wrapped;
    }
    answer = client.Put(path, body);
  } else if (std::string(method) == "DELETE") {
    answer = client.Delete(path);
  } else {
    answer = client.Get(path);
  }
  if (!answer.ok()) return ReportError(command, answer.status());
  if (std::string(method) == "DELETE") {
    std::printf("removed the pruner of experiment %s\n", experiment_id->c_str());
  } else {
    Print(*answer, options.json);
  }
  return kExitOk;
}

}  // namespace

Result<json> ParsePrunerParams(const std::vector<std::string>& params) {
  json out = json::object();
  for (const std::string& text : params) {
    size_t eq = text.find('=');
    if (eq == std::string::npos || eq == 0) return InvalidArgument("--param '" + text + "' is not NAME=VALUE");
    std::string value = text.substr(eq + 1);
    json parsed = json::parse(value, nullptr, false);
    out[text.substr(0, eq)] = parsed.is_discarded() ? json(value) : parsed;
  }
  return out;
}

void AddPrunerCommand(CLI::App& app, CommandAction& action) {
  CLI::App* pruner = app.add_subcommand("pruner", "An experiment's early-stopping pruner (docs/pruning.md)");
  pruner->require_subcommand(1);

  auto set = std::make_shared<PrunerOptions>();
  CLI::App* s = pruner->add_subcommand("set", "Set the pruner that judges the experiment's runs");
  s->add_option("experiment", set->experiment, "Experiment name or id")->required();
  s->add_option("--metric", set->metric, "The metric judged, e.g. val_loss")->required();
  s->add_option("--direction", set->direction, "minimize or maximize")
      ->capture_default_str()
      ->check(CLI::IsMember({"minimize", "maximize"}));
  s->add_option("--type", set->type, "median, percentile, successive_halving, hyperband, threshold, patient, asha")
      ->required();
  s->add_option("--param", set->params, "Constructor argument NAME=VALUE (repeatable), e.g. n_startup_trials=5")
      ->allow_extra_args(false);
  s->add_option("--wrapped", set->wrapped, "patient only: the wrapped pruner as JSON, {\"type\": ..., \"params\": ...}");
  s->add_flag("--json", set->json, "Print the server's JSON");
  AddTargetOptions(*s, set->target);
  s->callback([set, &action] { action = [set] { return Run("pruner set", *set, "PUT"); }; });

  auto show = std::make_shared<PrunerOptions>();
  CLI::App* g = pruner->add_subcommand("show", "Show the experiment's pruner, every parameter spelled out");
  g->add_option("experiment", show->experiment, "Experiment name or id")->required();
  g->add_flag("--json", show->json, "Print the server's JSON");
  AddTargetOptions(*g, show->target);
  g->callback([show, &action] { action = [show] { return Run("pruner show", *show, "GET"); }; });

  auto clear = std::make_shared<PrunerOptions>();
  CLI::App* c = pruner->add_subcommand("clear", "Remove the experiment's pruner");
  c->add_option("experiment", clear->experiment, "Experiment name or id")->required();
  AddTargetOptions(*c, clear->target);
  c->callback([clear, &action] { action = [clear] { return Run("pruner clear", *clear, "DELETE"); }; });
}

}  // namespace mlcost::cli
