#include "bench/ingest/pandas_phase.h"

#include <fstream>

#include "bench/ingest/child_process.h"
#include "billing/cost_columns.h"
#include "billing/mapping_table.h"

namespace mlcost::bench {
namespace {

std::string TypeName(billing::ColumnType type) {
  switch (type) {
    case billing::ColumnType::kDecimal:
      return "decimal";
    case billing::ColumnType::kTimestamp:
      return "timestamp";
    case billing::ColumnType::kTags:
      return "tags";
    case billing::ColumnType::kString:
      return "string";
  }
  return "string";
}

// The column names inside "{...}" references ("{$BilledCost}", "mlcost_json_tags({tags})").
std::vector<std::string> ReferencedColumns(std::string_view tmpl) {
  std::vector<std::string> names;
  for (size_t open = tmpl.find('{'); open != std::string_view::npos; open = tmpl.find('{', open + 1)) {
    size_t close = tmpl.find('}', open);
    if (close == std::string_view::npos) break;
    std::string_view name = tmpl.substr(open + 1, close - open - 1);
    while (!name.empty() && (name[0] == '?' || name[0] == '$' || name[0] == '@')) name.remove_prefix(1);
    if (!name.empty() && name[0] != '*') names.emplace_back(name);
  }
  return names;
}

}  // namespace

nlohmann::json FocusMappingSpec() {
  nlohmann::json spec = nlohmann::json::array();
  for (const billing::ColumnRule& rule : billing::FocusMapping().rules) {
    std::string type = "string";
    for (const billing::CostColumn& column : billing::CostColumns()) {
      if (column.name == rule.target) type = TypeName(column.type);
    }
    nlohmann::json sources = nlohmann::json::array();
    for (std::string_view alternative : rule.alternatives) {
      for (const std::string& name : ReferencedColumns(alternative)) sources.push_back(name);
    }
    spec.push_back({{"target", std::string(rule.target)}, {"type", type}, {"sources", sources}});
  }
  return spec;
}

Result<PhaseResult> RunPandasPhase(const std::string& python, const std::string& script, const std::string& csv,
                                   const std::string& out_pickle, int64_t rows, bool exact) {
  std::string spec_path = out_pickle + ".mapping.json";
  {
    std::ofstream spec(spec_path);
    spec << FocusMappingSpec().dump(1);
    if (!spec) return Internal("cannot write " + spec_path);
  }
  std::vector<std::string> argv = {python, script, csv, spec_path, out_pickle, "--rows", std::to_string(rows)};
  if (exact) argv.push_back("--exact");
  ASSIGN_OR_RETURN(std::string output, RunCommand(argv));
  while (!output.empty() && output.back() == '\n') output.pop_back();
  size_t line = output.rfind('\n');
  nlohmann::json j = nlohmann::json::parse(line == std::string::npos ? output : output.substr(line + 1), nullptr, false);
  if (j.is_discarded()) return Internal("pandas script printed no JSON: " + output);
  PhaseResult r = PhaseResultFromJson(j);
  if (j.contains("billed_cost") && j["billed_cost"].is_number()) r.billed_cost = j["billed_cost"].dump();
  r.rows_rejected = r.rows - j.value("rows_loaded", r.rows);
  return r;
}

}  // namespace mlcost::bench
