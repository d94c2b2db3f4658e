// The shape of a read-and-print CLI command: open the target (a server URL or the local data
// directory), make one API call, print its JSON (--json) or a rendering for people.
#ifndef MLCOST_CLI_API_CALL_H_
#define MLCOST_CLI_API_CALL_H_

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/api_client.h"
#include "cli/target.h"
#include "mlcost/status.h"

namespace mlcost::cli {

// A JSON value as a table cell: null -> "-", a string as is, anything else as JSON.
std::string Cell(const nlohmann::json& v);

// Opens the target, runs `call`, prints the answer as indented JSON (`json`) or `render`'s text.
// Returns the exit code; a failure is reported on stderr under `name` ("quota list").
int RunApiCall(const char* name, const TargetOptions& target, bool json,
               const std::function<Result<nlohmann::json>(ApiClient&)>& call,
               const std::function<std::string(const nlohmann::json&)>& render);

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_API_CALL_H_
