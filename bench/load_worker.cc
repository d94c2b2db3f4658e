#include "bench/load_worker.h"

#include <sys/resource.h>

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <latch>
#include <mutex>
#include <semaphore>
#include <thread>

#include "bench/raw_http_connection.h"

#include "bench/point_encoder.h"

namespace mlcost::bench {

namespace {

using Clock = std::chrono::steady_clock;

constexpr char kLogBatchPath[] = "/api/2.0/mlflow/runs/log-batch";
constexpr char kLogMetricPath[] = "/api/2.0/mlflow/runs/log-metric";
constexpr char kGetRunPath[] = "/api/2.0/mlflow/runs/get?run_id=";
constexpr size_t kMaxErrorSamples = 5;
// Clients that may be opening their connection at once. httplib's listener has a backlog of 5
// (CPPHTTPLIB_LISTEN_BACKLOG, compiled into libcpp-httplib), and a SYN dropped on overflow is
// retried after 1 s, which would otherwise dominate the first requests of 64 clients.
constexpr std::ptrdiff_t kConcurrentConnects = 4;
constexpr size_t kMaxErrorBody = 300;

struct ClientOutcome {
  int64_t requests = 0;
  int64_t errors = 0;
  int64_t points = 0;
  std::vector<int64_t> latencies_ns;
  std::string first_error;
};

// State shared by the clients of one scenario.
struct Shared {
  explicit Shared(std::ptrdiff_t clients) : ready(clients) {}
  std::counting_semaphore<> connect_slots{kConcurrentConnects};
  std::latch ready;  // counted down by each client once connected (or failed)
  std::latch start{1};
  std::atomic<bool> stop{false};
  std::atomic<int64_t> issued{0};
  std::mutex mu;
  std::condition_variable cv;
  int finished = 0;  // guarded by mu
};

std::string DescribeFailure(const httplib::Result& res) {
  if (!res) return "transport error: " + httplib::to_string(res.error());
  std::string body = res->body.substr(0, kMaxErrorBody);
  return "HTTP " + std::to_string(res->status) + ": " + body;
}

ClientOutcome RunClient(const std::string& base_url, const ScenarioSpec& spec,
                        const Series& series, Shared& shared) {
  ClientOutcome out;
  httplib::Client client(base_url);
  client.set_keep_alive(true);
  // Without it a request whose headers and body go out in two writes waits for the server's
  // delayed ACK (40 ms) whenever Nagle holds the second one.
  client.set_tcp_nodelay(true);
  client.set_connection_timeout(10);
  client.set_read_timeout(120);
  client.set_write_timeout(120);
  PointEncoder encoder(series.run_id, series.key, series.base_timestamp_ms);
  const bool batch = spec.endpoint == Endpoint::kLogBatch;
  const char* path = batch ? kLogBatchPath : kLogMetricPath;
  const int n = batch ? spec.points_per_request : 1;
  int64_t next_step = 1;

  // Opens the keep-alive connection before the clock starts, with one untimed read of the
  // client's own run, so that connection set-up is not measured.
  RawHttpConnection raw(base_url);
  shared.connect_slots.acquire();
  httplib::Result warm = client.Get(kGetRunPath + series.run_id);
  Status opened = raw.Open();
  shared.connect_slots.release();
  shared.ready.count_down();
  if (!warm || warm->status != 200) {
    ++out.errors;
    out.first_error = "warm-up GET runs/get: " + DescribeFailure(warm);
    return out;
  }
  if (!opened.ok()) {
    ++out.errors;
    out.first_error = "connect: " + std::string(opened.message());
    return out;
  }

  // The timed requests go through the light raw connection (raw_http_connection.h) opened above.
  shared.start.wait();
  while (!shared.stop.load(std::memory_order_relaxed)) {
    if (shared.issued.fetch_add(1, std::memory_order_relaxed) >= spec.max_requests) break;
    std::string_view body = batch ? encoder.LogBatch(next_step, n) : encoder.LogMetric(next_step);
    Clock::time_point t0 = Clock::now();
    Result<RawResponse> res = raw.PostJson(path, body);
    Clock::time_point t1 = Clock::now();
    if (!res.ok() || res->status != 200) {
      ++out.errors;
      out.first_error = !res.ok() ? std::string(res.status().message())
                                  : "HTTP " + std::to_string(res->status) + ": " + res->body.substr(0, 300);
      break;
    }
    ++out.requests;
    out.points += n;
    next_step += n;
    out.latencies_ns.push_back(
        std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count());
  }
  return out;
}

double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace

ScenarioResult RunScenario(const std::string& base_url, const ScenarioSpec& spec,
                           const std::vector<Series>& series) {
  Shared shared(static_cast<std::ptrdiff_t>(series.size()));
  std::vector<ClientOutcome> outcomes(series.size());
  std::vector<std::thread> threads;
  threads.reserve(series.size());
  for (size_t i = 0; i < series.size(); ++i) {
    threads.emplace_back([&, i] {
      outcomes[i] = RunClient(base_url, spec, series[i], shared);
      std::lock_guard<std::mutex> lock(shared.mu);
      ++shared.finished;
      shared.cv.notify_all();
    });
  }

  shared.ready.wait();
  double cpu_start = ProcessCpuSeconds();
  Clock::time_point start = Clock::now();
  Clock::time_point deadline =
      start + std::chrono::duration_cast<Clock::duration>(
                  std::chrono::duration<double>(spec.seconds));
  shared.start.count_down();
  {
    std::unique_lock<std::mutex> lock(shared.mu);
    shared.cv.wait_until(lock, deadline,
                         [&] { return shared.finished == static_cast<int>(series.size()); });
  }
  shared.stop.store(true);
  for (std::thread& t : threads) t.join();
  Clock::time_point end = Clock::now();
  double cpu_end = ProcessCpuSeconds();

  ScenarioResult result;
  result.name = spec.name;
  result.clients = static_cast<int>(series.size());
  result.points_per_request = spec.endpoint == Endpoint::kLogBatch ? spec.points_per_request : 1;
  result.elapsed_s = std::chrono::duration<double>(end - start).count();
  result.client_cpu_s = cpu_end - cpu_start;
  std::vector<int64_t> all_latencies;
  for (ClientOutcome& o : outcomes) {
    result.requests += o.requests;
    result.errors += o.errors;
    result.points += o.points;
    result.acked.push_back(o.points);
    result.failed.push_back(o.errors > 0);
    if (!o.first_error.empty() && result.error_samples.size() < kMaxErrorSamples) {
      result.error_samples.push_back(o.first_error);
    }
    all_latencies.insert(all_latencies.end(), o.latencies_ns.begin(), o.latencies_ns.end());
    o.latencies_ns = {};
  }
  result.latency = Summarize(std::move(all_latencies));
  return result;
}

}  // namespace mlcost::bench
