#include "bench/point_encoder.h"

#include <charconv>

#include <nlohmann/json.hpp>

namespace mlcost::bench {

namespace {

// JSON string literal (with quotes); done once per encoder, never per request.
std::string Quote(std::string_view s) { return nlohmann::json(std::string(s)).dump(); }

void AppendInt(std::string& out, int64_t v) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), v);
  out.append(digits, end);
}

}  // namespace

PointEncoder::PointEncoder(std::string_view run_id, std::string_view key,
                           int64_t base_timestamp_ms)
    : base_timestamp_ms_(base_timestamp_ms) {
  std::string run = Quote(run_id);
  std::string k = Quote(key);
  batch_prefix_ = "{\"run_id\":" + run + ",\"metrics\":[";
  point_prefix_ = "{\"key\":" + k;
  metric_prefix_ = "{\"run_id\":" + run + ",\"key\":" + k;
}

void PointEncoder::AppendFields(int64_t step) {
  // value = step + 0.5, written exactly without a float formatter.
  buffer_.append(",\"value\":");
  AppendInt(buffer_, step);
  buffer_.append(".5,\"timestamp\":");
  AppendInt(buffer_, PointTimestamp(base_timestamp_ms_, step));
  buffer_.append(",\"step\":");
  AppendInt(buffer_, step);
  buffer_.push_back('}');
}

std::string_view PointEncoder::LogBatch(int64_t first_step, int count) {
  buffer_.clear();
  buffer_.append(batch_prefix_);
  for (int i = 0; i < count; ++i) {
    if (i > 0) buffer_.push_back(',');
    buffer_.append(point_prefix_);
    AppendFields(first_step + i);
  }
  buffer_.append("]}");
  return buffer_;
}

std::string_view PointEncoder::LogMetric(int64_t step) {
  buffer_.clear();
  buffer_.append(metric_prefix_);
  AppendFields(step);
  return buffer_;
}

}  // namespace mlcost::bench
