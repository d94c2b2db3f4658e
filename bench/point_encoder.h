// PointEncoder: the JSON request bodies of the load scenarios, built without a JSON library so
// that the client is not the bottleneck. Point number `step` (1, 2, 3, ...) of a series always
// has timestamp `base_timestamp_ms + step` and value `step + 0.5`, so every point is distinct
// (the server collapses identical points) and the self-check can recompute all of them.
#ifndef MLCOST_BENCH_POINT_ENCODER_H_
#define MLCOST_BENCH_POINT_ENCODER_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace mlcost::bench {

// The value and timestamp of point `step` of a series; shared with the self-check.
inline double PointValue(int64_t step) { return static_cast<double>(step) + 0.5; }
inline int64_t PointTimestamp(int64_t base_timestamp_ms, int64_t step) {
  return base_timestamp_ms + step;
}

// Encodes the points of one series (run_id, metric key). Not thread-safe: one per client
// thread. The returned views stay valid until the next call.
class PointEncoder {
 public:
  PointEncoder(std::string_view run_id, std::string_view key, int64_t base_timestamp_ms);

  // Body of POST runs/log-batch with the `count` points first_step .. first_step+count-1:
  // {"run_id":"..","metrics":[{"key":"..","value":V,"timestamp":T,"step":S},...]}.
  std::string_view LogBatch(int64_t first_step, int count);

  // Body of POST runs/log-metric for point `step`:
  // {"run_id":"..","key":"..","value":V,"timestamp":T,"step":S}.
  std::string_view LogMetric(int64_t step);

 private:
  // Appends `,"value":V,"timestamp":T,"step":S` for point `step` to buffer_.
  void AppendFields(int64_t step);

  int64_t base_timestamp_ms_;
  std::string batch_prefix_;   // {"run_id":"..","metrics":[
  std::string point_prefix_;   // {"key":".."
  std::string metric_prefix_;  // {"run_id":"..","key":".."
  std::string buffer_;
};

}  // namespace mlcost::bench

#endif  // MLCOST_BENCH_POINT_ENCODER_H_
