#include "cli/costs_command.h"

#include <cstdio>
#include <functional>
#include <memory>

#include "cli/api_call.h"
#include "cli/exit_code.h"
#include "cli/target.h"
#include "cli/text_table.h"

namespace mlcost::cli {
namespace {

using Json = nlohmann::json;

struct CostsOptions {
  TargetOptions target;
  std::vector<std::string> group_by, filters;
  std::string granularity = "day", metric = "billed", since, until;
  int64_t top = 0;
  bool json = false;
};

std::string RenderCosts(const Json& a) {
  std::vector<std::string> headers;
  const bool period = a["granularity"] != "none";
  if (period) headers.push_back("period");
  for (const Json& g : a["group_by"]) headers.push_back(g.get<std::string>());
  headers.insert(headers.end(), {"currency", "cost", "lines"});
  TextTable table(headers);
  for (const Json& row : a["rows"]) {
    std::vector<std::string> cells;
    if (period) cells.push_back(Cell(row["period_start"]));
    for (const Json& g : a["group_by"]) cells.push_back(Cell(row["group"][g.get<std::string>()]));
    cells.insert(cells.end(), {Cell(row["billing_currency"]), Cell(row["cost"]), Cell(row["lines"])});
    table.AddRow(std::move(cells));
  }
  std::string out = "metric: " + Cell(a["metric"]) + " — " + Cell(a["cost_basis"]) + "\n" + table.Render();
  for (const auto& [currency, total] : a["totals"].items()) out += "total " + currency + "  " + Cell(total) + "\n";
  return out;
}

void AddCosts(CLI::App& app, CommandAction& action) {
  auto o = std::make_shared<CostsOptions>();
  CLI::App* c = app.add_subcommand("costs", "Explore the bill: cost grouped by dimensions and time");
  AddTargetOptions(*c, o->target);
  c->add_option("--group-by", o->group_by, "Dimensions (comma list): service_name, region_id, tag:KEY, team, ...")
      ->delimiter(',');
  c->add_option("--granularity", o->granularity, "none, hour, day, week or month")
      ->capture_default_str()
      ->check(CLI::IsMember({"none", "hour", "day", "week", "month"}));
  c->add_option("--metric", o->metric, "billed (invoiced), effective (amortized), list or contracted")
      ->capture_default_str()
      ->check(CLI::IsMember({"billed", "effective", "amortized", "list", "contracted"}));
  c->add_option("--filter", o->filters, "DIM:VALUE or tag:KEY:VALUE; repeat for OR (same DIM) / AND");
  c->add_option("--since", o->since, "Charge period start at or after (ISO 8601)");
  c->add_option("--until", o->until, "Charge period start before (ISO 8601)");
  c->add_option("--top", o->top, "Keep the N largest groups, fold the rest into 'other'")
      ->check(CLI::Range(int64_t{0}, int64_t{10000}));
  c->add_flag("--json", o->json, "Print the server's JSON");
  c->callback([o, &action] {
    action = [o] {
      return RunApiCall(
          "costs", o->target, o->json,
          [o](ApiClient& client) {
            QueryParams q;
            for (const std::string& g : o->group_by) q.push_back({"group_by", g});
            for (const std::string& f : o->filters) q.push_back({"filter", f});
            q.push_back({"granularity", o->granularity});
            q.push_back({"metric", o->metric});
            if (!o->since.empty()) q.push_back({"since", o->since});
            if (!o->until.empty()) q.push_back({"until", o->until});
            if (o->top > 0) q.push_back({"top", std::to_string(o->top)});
            return client.Get("/api/v1/costs", q);
          },
          RenderCosts);
    };
  });
}

std::string RenderRules(const Json& a) {
  TextTable table({"id", "position", "dimension", "match_kind", "match_key", "match_value", "target"});
  const Json& rules = a.contains("rules") ? a["rules"] : Json::array({a});
  for (const Json& r : rules) {
    table.AddRow({Cell(r["rule_id"]), Cell(r["position"]), Cell(r["dimension"]), Cell(r["match_kind"]),
                  Cell(r["match_key"]), Cell(r["match_value"]), Cell(r["target"])});
  }
  if (rules.empty()) return "no allocation rules: team, user, project and model come from the tags of those names\n";
  return table.Render();
}

struct RuleOptions {
  TargetOptions target;
  std::string dimension, kind, key, value, target_value;
  int64_t position = 0;
  int64_t rule_id = 0;
  bool json = false;
};

void AddAllocation(CLI::App& app, CommandAction& action) {
  CLI::App* allocation = app.add_subcommand("allocation", "Allocation rules: who a cost line belongs to");
  allocation->require_subcommand(1);
  CLI::App* rules = allocation->add_subcommand("rules", "List, add or remove allocation rules");
  rules->require_subcommand(1);

  auto list = std::make_shared<RuleOptions>();
  CLI::App* l = rules->add_subcommand("list", "List the rules in order");
  AddTargetOptions(*l, list->target);
  l->add_flag("--json", list->json, "Print the server's JSON");
  l->callback([list, &action] {
    action = [list] {
      return RunApiCall(
          "allocation rules list", list->target, list->json,
          [](ApiClient& c) { return c.Get("/api/v1/allocation/rules"); }, RenderRules);
    };
  });

  auto add = std::make_shared<RuleOptions>();
  CLI::App* a = rules->add_subcommand("add", "Add a rule (first match per dimension wins)");
  AddTargetOptions(*a, add->target);
  a->add_option("--dimension", add->dimension, "team, user, project or model")
      ->required()
      ->check(CLI::IsMember({"team", "user", "project", "model"}));
  a->add_option("--match", add->kind, "tag, name_prefix or account")
      ->required()
      ->check(CLI::IsMember({"tag", "name_prefix", "account"}));
  a->add_option("--key", add->key, "Tag key (tag rules)");
  a->add_option("--value", add->value, "Tag value ('' = any), name prefix, or account id/name");
  a->add_option("--target", add->target_value, "Value to give; empty on a tag rule = the tag's value");
  a->add_option("--position", add->position, "1-based place in the list (default: the end)")
      ->check(CLI::Range(int64_t{1}, int64_t{1000000}));
  a->add_flag("--json", add->json, "Print the server's JSON");
  a->callback([add, &action] {
    action = [add] {
      return RunApiCall(
          "allocation rules add", add->target, add->json,
          [add](ApiClient& c) {
            Json body = {{"dimension", add->dimension}, {"match_kind", add->kind}, {"match_key", add->key},
                         {"match_value", add->value}, {"target", add->target_value}};
            if (add->position > 0) body["position"] = add->position;
            return c.Post("/api/v1/allocation/rules", body);
          },
          RenderRules);
    };
  });

  auto rm = std::make_shared<RuleOptions>();
  CLI::App* r = rules->add_subcommand("rm", "Remove a rule by id");
  AddTargetOptions(*r, rm->target);
  r->add_option("rule_id", rm->rule_id, "Rule id")->required();
  r->add_flag("--json", rm->json, "Print the server's JSON");
  r->callback([rm, &action] {
    action = [rm] {
      return RunApiCall(
          "allocation rules rm", rm->target, rm->json,
          [rm](ApiClient& c) { return c.Delete("/api/v1/allocation/rules/" + std::to_string(rm->rule_id)); },
          [rm](const Json&) { return "removed rule " + std::to_string(rm->rule_id) + "\n"; });
    };
  });
}

struct BoardOptions {
  TargetOptions target;
  std::string by = "team", window = "30d", metric = "billed", order = "desc";
  std::vector<std::string> experiment_ids;
  bool json = false;
};

void AddLeaderboard(CLI::App& app, CommandAction& action) {
  CLI::App* board = app.add_subcommand("leaderboard", "Cost and run leaderboards");
  board->require_subcommand(1);

  auto costs = std::make_shared<BoardOptions>();
  CLI::App* c = board->add_subcommand("costs", "Cost per team / user / project / model, versus the previous window");
  AddTargetOptions(*c, costs->target);
  c->add_option("--by", costs->by, "team, user, project, model, a cost column or tag:KEY")->capture_default_str();
  c->add_option("--window", costs->window, "Nd (e.g. 7d), month, or SINCE,UNTIL")->capture_default_str();
  c->add_option("--metric", costs->metric, "billed, effective, list or contracted")->capture_default_str();
  c->add_flag("--json", costs->json, "Print the server's JSON");
  c->callback([costs, &action] {
    action = [costs] {
      return RunApiCall(
          "leaderboard costs", costs->target, costs->json,
          [costs](ApiClient& cl) {
            return cl.Get("/api/v1/leaderboards/costs",
                          {{"by", costs->by}, {"window", costs->window}, {"metric", costs->metric}});
          },
          [](const Json& a) {
            TextTable t({"rank", Cell(a["by"]), "currency", "current", "previous", "change", "change_%"});
            for (const Json& r : a["rows"]) {
              t.AddRow({Cell(r["rank"]), Cell(r["key"]), Cell(r["billing_currency"]), Cell(r["current"]),
                        Cell(r["previous"]), Cell(r["change"]), Cell(r["change_percent"])});
            }
            return "window " + Cell(a["window"]["since"]) + " .. " + Cell(a["window"]["until"]) + " (" +
                   Cell(a["metric"]) + ")\n" + t.Render();
          });
    };
  });

  auto runs = std::make_shared<BoardOptions>();
  CLI::App* r = board->add_subcommand("runs", "Runs ranked by a metric per unit of cost");
  AddTargetOptions(*r, runs->target);
  r->add_option("--metric", runs->metric, "Metric key, e.g. accuracy")->required();
  r->add_option("--order", runs->order, "desc or asc")->capture_default_str()->check(CLI::IsMember({"desc", "asc"}));
  r->add_option("--experiment-id", runs->experiment_ids, "Repeatable; default every experiment");
  r->add_flag("--json", runs->json, "Print the server's JSON");
  r->callback([runs, &action] {
    action = [runs] {
      return RunApiCall(
          "leaderboard runs", runs->target, runs->json,
          [runs](ApiClient& cl) {
            QueryParams q = {{"metric", runs->metric}, {"order", runs->order}};
            for (const std::string& id : runs->experiment_ids) q.push_back({"experiment_id", id});
            return cl.Get("/api/v1/leaderboards/runs", q);
          },
          [](const Json& a) {
            TextTable t({"rank", "run", "name", Cell(a["metric"]), "cost", "currency", "source", "per_cost"});
            for (const Json& r : a["runs"]) {
              t.AddRow({Cell(r["rank"]), Cell(r["run_id"]), Cell(r["run_name"]), Cell(r["metric_value"]),
                        Cell(r["cost"]), Cell(r["currency"]), Cell(r["cost_source"]), Cell(r["metric_per_cost"])});
            }
            std::string out = t.Render();
            if (!a["unpriced"].empty()) out += std::to_string(a["unpriced"].size()) + " unpriced run(s) not ranked\n";
            return out;
          });
    };
  });
}

}  // namespace

void AddCostExplorerCommands(CLI::App& app, CommandAction& action) {
  AddCosts(app, action);
  AddAllocation(app, action);
  AddLeaderboard(app, action);
}

}  // namespace mlcost::cli
