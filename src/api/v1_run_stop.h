// The stop decision as the API answers it (v1_run_stop.cc): {"stop", "reason", "pruner"}.
#ifndef MLCOST_API_V1_RUN_STOP_H_
#define MLCOST_API_V1_RUN_STOP_H_

#include <nlohmann/json.hpp>

#include "earlystop/pruner_service.h"

namespace mlcost::api::v1 {

// {"stop": bool, "reason": str|null, "pruner": str|null}.
nlohmann::json StopDecisionJson(const earlystop::StopDecision& decision);

}  // namespace mlcost::api::v1

#endif  // MLCOST_API_V1_RUN_STOP_H_
