// HistoryChecker: checks the pages of GET metrics/get-history for one series against the
// points the load clients had acknowledged. Large pages are scanned for their "step" fields
// instead of parsed, so reading back millions of points costs little client time.
#ifndef MLCOST_BENCH_HISTORY_CHECKER_H_
#define MLCOST_BENCH_HISTORY_CHECKER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bench/load_worker.h"
#include "mlcost/status.h"

namespace mlcost::bench {

// Not thread-safe; one per series.
class HistoryChecker {
 public:
  // Expects exactly the points with steps 1..expected_points of `series`.
  HistoryChecker(Series series, int64_t expected_points);

  // Adds one response body. With `full`, parses it and checks every metric's key, run_id (if
  // present), timestamp and value; otherwise only counts its "step" and "timestamp" fields.
  // Returns Internal naming the series and the first problem: unparsable JSON, a step outside
  // 1..expected, a step seen twice, a wrong field, or step/timestamp counts that differ.
  Status AddPage(std::string_view body, bool full);

  // Call after the last page. Internal naming how many points arrived and the first missing
  // step, if any did not.
  Status Finish() const;

  int64_t points() const { return points_; }

  // The next_page_token of a get-history body: "" when absent or empty. Internal if the body
  // is not JSON where the token is.
  static Result<std::string> NextPageToken(std::string_view body);

 private:
  Status Mark(int64_t step);
  std::string Where() const;

  Series series_;
  int64_t expected_;
  int64_t points_ = 0;
  std::vector<bool> seen_;  // index = step
};

}  // namespace mlcost::bench

#endif  // MLCOST_BENCH_HISTORY_CHECKER_H_
