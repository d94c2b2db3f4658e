#include "bench/tracking_client.h"

#include <cctype>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "bench/history_checker.h"

namespace mlcost::bench {

namespace {

constexpr char kApi[] = "/api/2.0/mlflow/";
// The first page of a series is small and fully checked; the rest are large and scanned.
constexpr int64_t kFirstPageSize = 1000;
constexpr int64_t kPageSize = 50000;

std::string UrlEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

Status CheckResponse(const httplib::Result& res, const std::string& what) {
  if (!res) return Unavailable(what + ": transport error: " + httplib::to_string(res.error()));
  if (res->status != 200) {
    return Internal(what + ": HTTP " + std::to_string(res->status) + ": " +
                    res->body.substr(0, 300));
  }
  return Status::Ok();
}

}  // namespace

TrackingClient::TrackingClient(const std::string& base_url)
    : base_url_(base_url), client_(std::make_unique<httplib::Client>(base_url)) {
  client_->set_keep_alive(true);
  client_->set_connection_timeout(10);
  client_->set_read_timeout(300);
}

TrackingClient::~TrackingClient() = default;

Result<std::string> TrackingClient::PostJson(const std::string& path, const std::string& body) {
  httplib::Result res = client_->Post(kApi + path, body, "application/json");
  RETURN_IF_ERROR(CheckResponse(res, "POST " + path));
  return std::move(res->body);
}

Result<std::string> TrackingClient::Get(const std::string& path_and_query) {
  httplib::Result res = client_->Get(kApi + path_and_query);
  std::string path = path_and_query.substr(0, path_and_query.find('?'));
  RETURN_IF_ERROR(CheckResponse(res, "GET " + path));
  return std::move(res->body);
}

Result<std::string> TrackingClient::CreateExperiment(std::string_view name) {
  nlohmann::json request = {{"name", std::string(name)}};
  ASSIGN_OR_RETURN(std::string body, PostJson("experiments/create", request.dump()));
  nlohmann::json answer = nlohmann::json::parse(body, nullptr, false);
  if (answer.is_discarded() || !answer.is_object() || !answer.contains("experiment_id") ||
      !answer["experiment_id"].is_string()) {
    return Internal("experiments/create answered without a string experiment_id: " + body);
  }
  return answer["experiment_id"].get<std::string>();
}

Result<std::string> TrackingClient::CreateRun(std::string_view experiment_id,
                                              int64_t start_time_ms) {
  nlohmann::json request = {{"experiment_id", std::string(experiment_id)},
                            {"start_time", start_time_ms}};
  ASSIGN_OR_RETURN(std::string body, PostJson("runs/create", request.dump()));
  nlohmann::json answer = nlohmann::json::parse(body, nullptr, false);
  const nlohmann::json::json_pointer pointer("/run/info/run_id");
  if (answer.is_discarded() || !answer.contains(pointer) || !answer[pointer].is_string()) {
    return Internal("runs/create answered without run.info.run_id: " + body.substr(0, 300));
  }
  return answer[pointer].get<std::string>();
}

Result<int64_t> TrackingClient::VerifySeries(const Series& series, int64_t expected_points) {
  HistoryChecker checker(series, expected_points);
  std::string token;
  const int64_t max_pages = expected_points / kPageSize + 3;
  for (int64_t page = 0;; ++page) {
    if (page > max_pages) {
      return Internal("run " + series.run_id + " key " + series.key + ": get-history still " +
                      "returns a next_page_token after " + std::to_string(page) + " pages");
    }
    std::string query = "metrics/get-history?run_id=" + UrlEncode(series.run_id) +
                        "&metric_key=" + UrlEncode(series.key) + "&max_results=" +
                        std::to_string(page == 0 ? kFirstPageSize : kPageSize);
    if (!token.empty()) query += "&page_token=" + UrlEncode(token);
    ASSIGN_OR_RETURN(std::string body, Get(query));
    RETURN_IF_ERROR(checker.AddPage(body, /*full=*/page == 0));
    ASSIGN_OR_RETURN(token, HistoryChecker::NextPageToken(body));
    if (token.empty()) break;
  }
  RETURN_IF_ERROR(checker.Finish());
  return checker.points();
}

}  // namespace mlcost::bench
