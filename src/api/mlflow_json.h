// MLflow's wire form of mlcost's records (service.proto messages as proto-JSON with
// snake_case field names and int64 as JSON numbers, as MLflow's server writes them).
#ifndef MLCOST_API_MLFLOW_JSON_H_
#define MLCOST_API_MLFLOW_JSON_H_

#include <nlohmann/json.hpp>

#include "mlcost/records.h"

namespace mlcost::api {

nlohmann::json MlflowExperiment(const Experiment& e);
nlohmann::json MlflowRunInfo(const RunInfo& info);
nlohmann::json MlflowRun(const Run& run);
nlohmann::json MlflowMetric(const Metric& m);
nlohmann::json MlflowKeyValues(const std::vector<KeyValue>& items);

}  // namespace mlcost::api

#endif  // MLCOST_API_MLFLOW_JSON_H_
