#include "agent/preemption_watcher.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace mlcost::agent {
namespace {

// A local stand-in for the three clouds' metadata services; `preempt` flips them all to "notice".
class FakeMetadata {
 public:
  FakeMetadata() {
    server_.Put("/latest/api/token", [this](const httplib::Request& req, httplib::Response& res) {
      if (!aws_ || !req.has_header("X-aws-ec2-metadata-token-ttl-seconds")) return void(res.status = 404);
      res.set_content("tok-123", "text/plain");
    });
    server_.Get("/latest/meta-data/spot/instance-action", [this](const httplib::Request& req, httplib::Response& res) {
      if (req.get_header_value("X-aws-ec2-metadata-token") != "tok-123") return void(res.status = 401);
      if (!preempt_) return void(res.status = 404);
      res.set_content(R"({"action": "terminate", "time": "2026-12-01T16:22:00Z"})", "application/json");
    });
    server_.Get("/computeMetadata/v1/instance/preempted", [this](const httplib::Request& req, httplib::Response& res) {
      if (!gcp_ || req.get_header_value("Metadata-Flavor") != "Google") return void(res.status = 404);
      res.set_content(preempt_ ? "TRUE" : "FALSE", "application/text");
    });
    server_.Get("/metadata/scheduledevents", [this](const httplib::Request& req, httplib::Response& res) {
      if (!azure_ || req.get_header_value("Metadata") != "true") return void(res.status = 400);
      res.set_content(preempt_ ? R"({"DocumentIncarnation":2,"Events":[{"EventId":"e1","EventType":"Freeze"},
                                   {"EventId":"e2","EventType":"Preempt","NotBefore":"Tue, 01 Dec 2026 16:22:00 GMT"}]})"
                               : R"({"DocumentIncarnation":1,"Events":[]})",
                      "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FakeMetadata() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  std::atomic<bool> aws_{false}, gcp_{false}, azure_{false}, preempt_{false};

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

constexpr int64_t kTimeoutMs = 2000;

TEST(PreemptionCheckTest, AwsNoticeNeedsTheImdsV2Token) {
  FakeMetadata fake;
  fake.aws_ = true;
  auto none = CheckForPreemption(CloudProvider::kAws, fake.url(), kTimeoutMs);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_FALSE(none->has_value());
  fake.preempt_ = true;
  auto notice = CheckForPreemption(CloudProvider::kAws, fake.url(), kTimeoutMs);
  ASSERT_TRUE(notice.ok() && notice->has_value());
  EXPECT_EQ((*notice)->detail, "spot instance-action: terminate at 2026-12-01T16:22:00Z");
}

TEST(PreemptionCheckTest, GcpAndAzureNotices) {
  FakeMetadata fake;
  fake.gcp_ = true;
  fake.azure_ = true;
  auto gcp = CheckForPreemption(CloudProvider::kGcp, fake.url(), kTimeoutMs);
  ASSERT_TRUE(gcp.ok());
  EXPECT_FALSE(gcp->has_value());
  auto azure = CheckForPreemption(CloudProvider::kAzure, fake.url(), kTimeoutMs);
  ASSERT_TRUE(azure.ok());
  EXPECT_FALSE(azure->has_value());
  fake.preempt_ = true;
  gcp = CheckForPreemption(CloudProvider::kGcp, fake.url(), kTimeoutMs);
  ASSERT_TRUE(gcp.ok() && gcp->has_value());
  EXPECT_EQ((*gcp)->provider, CloudProvider::kGcp);
  azure = CheckForPreemption(CloudProvider::kAzure, fake.url(), kTimeoutMs);
  ASSERT_TRUE(azure.ok() && azure->has_value());
  EXPECT_EQ((*azure)->detail, "scheduled event Preempt not before Tue, 01 Dec 2026 16:22:00 GMT");
}

TEST(PreemptionCheckTest, AServiceOfAnotherCloudIsUnavailable) {
  FakeMetadata fake;
  fake.gcp_ = true;
  auto aws = CheckForPreemption(CloudProvider::kAws, fake.url(), kTimeoutMs);
  ASSERT_FALSE(aws.ok());
  EXPECT_EQ(aws.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(aws.status().message().find("aws metadata service at " + fake.url()), std::string::npos);
}

TEST(PreemptionCheckTest, AHangingServiceTimesOut) {
  // A socket that listens but never accepts: the connection is queued, no answer ever comes.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 8), 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  std::string url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  auto result = CheckForPreemption(CloudProvider::kGcp, url, 300);
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kUnavailable);
  close(fd);
}

TEST(PreemptionWatcherTest, AutoFindsTheCloudAndReportsTheNotice) {
  FakeMetadata fake;
  fake.azure_ = true;
  PreemptionOptions options;
  options.metadata_url = fake.url();
  options.poll_interval_ms = 20;
  PreemptionWatcher watcher(options);
  EXPECT_FALSE(watcher.Notice().has_value());
  fake.preempt_ = true;
  std::optional<PreemptionNotice> notice;
  for (int i = 0; i < 1000 && !notice; ++i) {
    notice = watcher.Notice();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(notice.has_value());
  EXPECT_EQ(notice->provider, CloudProvider::kAzure);
}

TEST(PreemptionWatcherTest, ParsesProviderNames) {
  EXPECT_EQ(*ParseCloudProvider("gcp"), CloudProvider::kGcp);
  EXPECT_EQ(*ParseCloudProvider("none"), CloudProvider::kNone);
  auto bad = ParseCloudProvider("ibm");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "unknown cloud 'ibm' (expected none, auto, aws, gcp or azure)");
}

}  // namespace
}  // namespace mlcost::agent
