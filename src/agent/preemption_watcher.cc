#include "agent/preemption_watcher.h"

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

namespace mlcost::agent {
namespace {

std::unique_ptr<httplib::Client> MakeClient(const std::string& base_url, int64_t timeout_ms) {
  auto client = std::make_unique<httplib::Client>(base_url);
  auto seconds = static_cast<time_t>(timeout_ms / 1000);
  auto micros = static_cast<time_t>(timeout_ms % 1000 * 1000);
  client->set_connection_timeout(seconds, micros);
  client->set_read_timeout(seconds, micros);
  client->set_write_timeout(seconds, micros);
  return client;
}

Status NoAnswer(const char* provider, const std::string& url, const std::string& why) {
  return Unavailable(std::string(provider) + " metadata service at " + url + " did not answer: " + why);
}

Result<std::optional<PreemptionNotice>> CheckAws(httplib::Client& http, const std::string& url) {
  auto token = http.Put("/latest/api/token", {{"X-aws-ec2-metadata-token-ttl-seconds", "300"}}, "", "text/plain");
  if (!token) return NoAnswer("aws", url, httplib::to_string(token.error()));
  if (token->status != 200) return NoAnswer("aws", url, "token request answered " + std::to_string(token->status));
  auto action = http.Get("/latest/meta-data/spot/instance-action", {{"X-aws-ec2-metadata-token", token->body}});
  if (!action) return NoAnswer("aws", url, httplib::to_string(action.error()));
  if (action->status == 404) return std::optional<PreemptionNotice>();
  if (action->status != 200) return NoAnswer("aws", url, "instance-action answered " + std::to_string(action->status));
  nlohmann::json body = nlohmann::json::parse(action->body, nullptr, false);
  std::string detail = action->body;
  if (body.is_object() && body.contains("action") && body["action"].is_string()) {
    detail = body["action"].get<std::string>();
    if (body.contains("time") && body["time"].is_string()) detail += " at " + body["time"].get<std::string>();
  }
  return std::optional<PreemptionNotice>(PreemptionNotice{CloudProvider::kAws, "spot instance-action: " + detail});
}

Result<std::optional<PreemptionNotice>> CheckGcp(httplib::Client& http, const std::string& url) {
  auto answer = http.Get("/computeMetadata/v1/instance/preempted", {{"Metadata-Flavor", "Google"}});
  if (!answer) return NoAnswer("gcp", url, httplib::to_string(answer.error()));
  if (answer->status != 200) return NoAnswer("gcp", url, "preempted answered " + std::to_string(answer->status));
  std::string value = answer->body;
  while (!value.empty() && (value.back() == '\n' || value.back() == ' ')) value.pop_back();
  if (value == "TRUE") return std::optional<PreemptionNotice>(PreemptionNotice{CloudProvider::kGcp, "instance preempted"});
  if (value == "FALSE") return std::optional<PreemptionNotice>();
  return NoAnswer("gcp", url, "preempted answered '" + value.substr(0, 40) + "'");
}

Result<std::optional<PreemptionNotice>> CheckAzure(httplib::Client& http, const std::string& url) {
  auto answer = http.Get("/metadata/scheduledevents?api-version=2020-07-01", {{"Metadata", "true"}});
  if (!answer) return NoAnswer("azure", url, httplib::to_string(answer.error()));
  if (answer->status != 200) return NoAnswer("azure", url, "scheduledevents answered " + std::to_string(answer->status));
  nlohmann::json body = nlohmann::json::parse(answer->body, nullptr, false);
  if (!body.is_object() || !body.contains("Events") || !body["Events"].is_array()) {
    return NoAnswer("azure", url, "scheduledevents answer has no Events array");
  }
  for (const nlohmann::json& event : body["Events"]) {
    if (!event.is_object() || event.value("EventType", "") != "Preempt") continue;
    std::string detail = "scheduled event Preempt";
    if (event.contains("NotBefore") && event["NotBefore"].is_string()) {
      detail += " not before " + event["NotBefore"].get<std::string>();
    }
    return std::optional<PreemptionNotice>(PreemptionNotice{CloudProvider::kAzure, detail});
  }
  return std::optional<PreemptionNotice>();
}

}  // namespace

Result<CloudProvider> ParseCloudProvider(const std::string& text) {
  for (CloudProvider p : {CloudProvider::kNone, CloudProvider::kAuto, CloudProvider::kAws, CloudProvider::kGcp,
                          CloudProvider::kAzure}) {
    if (text == CloudProviderName(p)) return p;
  }
  return InvalidArgument("unknown cloud '" + text + "' (expected none, auto, aws, gcp or azure)");
}

const char* CloudProviderName(CloudProvider provider) {
  switch (provider) {
    case CloudProvider::kNone:
      return "none";
    case CloudProvider::kAuto:
      return "auto";
    case CloudProvider::kAws:
      return "aws";
    case CloudProvider::kGcp:
      return "gcp";
    case CloudProvider::kAzure:
      return "azure";
  }
  return "none";
}

Result<std::optional<PreemptionNotice>> CheckForPreemption(CloudProvider provider, const std::string& metadata_url,
                                                           int64_t timeout_ms) {
  auto http = MakeClient(metadata_url, timeout_ms);
  switch (provider) {
    case CloudProvider::kAws:
      return CheckAws(*http, metadata_url);
    case CloudProvider::kGcp:
      return CheckGcp(*http, metadata_url);
    case CloudProvider::kAzure:
      return CheckAzure(*http, metadata_url);
    default:
      return InvalidArgument(std::string("cannot check for preemption with cloud ") + CloudProviderName(provider));
  }
}

struct PreemptionWatcher::Shared {
  PreemptionOptions options;
  mutable std::mutex mu;
  std::optional<PreemptionNotice> notice;
  std::condition_variable wake;
  bool stop = false;
};

PreemptionWatcher::PreemptionWatcher(PreemptionOptions options) : shared_(std::make_shared<Shared>()) {
  shared_->options = std::move(options);
  if (shared_->options.provider == CloudProvider::kNone) return;
  std::thread([shared = shared_] {
    auto stopped = [&] {
      std::lock_guard<std::mutex> lock(shared->mu);
      return shared->stop;
    };
    auto record = [&](const PreemptionNotice& notice) {
      std::lock_guard<std::mutex> lock(shared->mu);
      shared->notice = notice;
    };
    const PreemptionOptions& o = shared->options;
    CloudProvider provider = o.provider;
    if (provider == CloudProvider::kAuto) {
      provider = CloudProvider::kNone;
      for (CloudProvider p : {CloudProvider::kAws, CloudProvider::kGcp, CloudProvider::kAzure}) {
        if (stopped()) return;
        auto probe = CheckForPreemption(p, o.metadata_url, o.request_timeout_ms);
        if (probe.ok()) {
          provider = p;
          if (probe->has_value()) {
            record(**probe);
            return;
          }
          break;
        }
      }
      if (provider == CloudProvider::kNone) return;  // not on a cloud VM we know
    }
    bool warned = false;
    while (true) {
      {
        std::unique_lock<std::mutex> lock(shared->mu);
        shared->wake.wait_for(lock, std::chrono::milliseconds(o.poll_interval_ms), [&] { return shared->stop; });
        if (shared->stop) return;
      }
      auto notice = CheckForPreemption(provider, o.metadata_url, o.request_timeout_ms);
      if (!notice.ok()) {
        if (!warned) {
          std::fprintf(stderr, "mlcost run: warning: %s; still watching\n", notice.status().message().c_str());
        }
        warned = true;
        continue;
      }
      if (notice->has_value()) {
        record(**notice);
        return;
      }
    }
  }).detach();
}

PreemptionWatcher::~PreemptionWatcher() { Stop(); }

std::optional<PreemptionNotice> PreemptionWatcher::Notice() const {
  std::lock_guard<std::mutex> lock(shared_->mu);
  return shared_->notice;
}

void PreemptionWatcher::Stop() {
  std::lock_guard<std::mutex> lock(shared_->mu);
  shared_->stop = true;
  shared_->wake.notify_all();
}

}  // namespace mlcost::agent
