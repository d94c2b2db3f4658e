// TrackingClient: the few MLflow REST calls the benchmark makes outside the load itself —
// setup (experiment, runs) and the durability self-check (metric history read-back).
#ifndef MLCOST_BENCH_TRACKING_CLIENT_H_
#define MLCOST_BENCH_TRACKING_CLIENT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "bench/load_worker.h"
#include "mlcost/status.h"

namespace httplib {
class Client;
}

namespace mlcost::bench {

// One keep-alive connection to the server. Not thread-safe: one per thread.
class TrackingClient {
 public:
  // `base_url` is "http://host:port".
  explicit TrackingClient(const std::string& base_url);
  ~TrackingClient();
  TrackingClient(const TrackingClient&) = delete;
  TrackingClient& operator=(const TrackingClient&) = delete;

  // POST experiments/create; returns the experiment_id. Unavailable on a transport error,
  // Internal (naming the HTTP status and body) on any non-200 or a malformed answer.
  Result<std::string> CreateExperiment(std::string_view name);

  // POST runs/create; returns run.info.run_id. Errors as CreateExperiment.
  Result<std::string> CreateRun(std::string_view experiment_id, int64_t start_time_ms);

  // Reads the whole history of (series.run_id, series.key) with GET metrics/get-history,
  // following next_page_token, and checks that it holds exactly the points with steps
  // 1..expected_points, each once, each with the timestamp and value PointEncoder gave it.
  // Returns the number of points read, or Internal naming the first mismatch
  // ("run R key K: 999 points, expected 1000; step 17 missing").
  Result<int64_t> VerifySeries(const Series& series, int64_t expected_points);

 private:
  // POST `path` with a JSON body; returns the parsed 200 response.
  Result<std::string> PostJson(const std::string& path, const std::string& body);
  Result<std::string> Get(const std::string& path_and_query);

  std::string base_url_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace mlcost::bench

#endif  // MLCOST_BENCH_TRACKING_CLIENT_H_
