#include "cli/api_call.h"

#include <cstdio>

#include "cli/exit_code.h"

namespace mlcost::cli {

std::string Cell(const nlohmann::json& v) {
  if (v.is_null()) return "-";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

int RunApiCall(const char* name, const TargetOptions& target_options, bool json,
               const std::function<Result<nlohmann::json>(ApiClient&)>& call,
               const std::function<std::string(const nlohmann::json&)>& render) {
  auto target = Target::Open(target_options);
  if (!target.ok()) return ReportError(name, target.status());
  Result<nlohmann::json> answer = call((*target)->client());
  if (!answer.ok()) return ReportError(name, answer.status());
  if (json) {
    std::printf("%s\n", answer->dump(2).c_str());
  } else {
    std::fputs(render(*answer).c_str(), stdout);
  }
  return kExitOk;
}

}  // namespace mlcost::cli
