// The write path: metric points and latest values, group commit under concurrency, per-op
// atomicity inside a failing group, what survives reopening the database, and durability of
// acknowledged writes across kill -9.
#include "tracking/write_batcher.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <future>
#include <limits>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store/migrations.h"
#include "store/test_util.h"
#include "tracking/tracking_test_util.h"

// Requests are written as designated initializers naming only the fields a test cares about.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace mlcost::tracking {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(IsNewerMetricTest, OrdersByStepThenTimestampThenValueWithNaNLowest) {
  auto m = [](int64_t step, int64_t ts, double v) { return Metric{"k", v, ts, step}; };
  EXPECT_TRUE(IsNewerMetric(m(2, 0, 0), m(1, 100, 9)));  // step first
  EXPECT_FALSE(IsNewerMetric(m(1, 100, 9), m(2, 0, 0)));
  EXPECT_TRUE(IsNewerMetric(m(1, 101, 0), m(1, 100, 9)));  // then timestamp
  EXPECT_TRUE(IsNewerMetric(m(1, 100, 2), m(1, 100, 1)));  // then value
  EXPECT_FALSE(IsNewerMetric(m(1, 100, 1), m(1, 100, 1)));  // equal is not newer
  EXPECT_TRUE(IsNewerMetric(m(1, 100, -kInf), m(1, 100, kNaN)));
  EXPECT_FALSE(IsNewerMetric(m(1, 100, kNaN), m(1, 100, -kInf)));
  EXPECT_FALSE(IsNewerMetric(m(1, 100, kNaN), m(1, 100, kNaN)));
  EXPECT_TRUE(IsNewerMetric(m(1, 100, kInf), m(1, 100, 1e308)));
  EXPECT_TRUE(IsNewerMetric(m(2, 0, kNaN), m(1, 100, 5)));  // NaN only loses ties
  EXPECT_TRUE(IsNewerMetric(m(-1, 0, 0), m(-2, 0, 0)));
}

// The latest point of `key` in the run, or a point with key "<absent>".
Metric Latest(TrackingService& svc, const std::string& run_id, const std::string& key) {
  auto run = svc.GetRun(run_id);
  EXPECT_TRUE(run.ok()) << run.status().ToString();
  if (run.ok()) {
    for (const Metric& m : run->metrics) {
      if (m.key == key) return m;
    }
  }
  return Metric{"<absent>"};
}

std::vector<Metric> History(TrackingService& svc, const std::string& run_id, const std::string& key) {
  auto h = svc.GetMetricHistory({.run_id = run_id, .metric_key = key});
  EXPECT_TRUE(h.ok()) << h.status().ToString();
  return h.ok() ? h->metrics : std::vector<Metric>{};
}

TEST_F(TrackingTest, LatestMetricIsChosenByStepTimestampValue) {
  const std::string id = NewRun().info.run_id;
  MLCOST_ASSERT_OK(Log(id, {{"loss", 5, 100, 1}, {"loss", 9, 200, 0}}));
  Metric latest = Latest(svc(), id, "loss");
  EXPECT_EQ(latest.step, 1);
  EXPECT_EQ(latest.value, 5);  // the higher step wins over the later timestamp
  MLCOST_ASSERT_OK(Log(id, {{"loss", 7, 100, 1}}));
  EXPECT_EQ(Latest(svc(), id, "loss").value, 7);  // a tie goes to the larger value
  MLCOST_ASSERT_OK(Log(id, {{"loss", kNaN, 100, 1}, {"loss", 6, 100, 1}}));
  EXPECT_EQ(Latest(svc(), id, "loss").value, 7);  // NaN and smaller values lose ties
  MLCOST_ASSERT_OK(Log(id, {{"loss", 1, 50, 1}}));
  EXPECT_EQ(Latest(svc(), id, "loss").value, 7);  // an older point never replaces it

  // Within one batch the order of points does not matter.
  MLCOST_ASSERT_OK(Log(id, {{"acc", 3, 10, 4}, {"acc", 1, 10, 2}, {"acc", 2, 10, 3}}));
  EXPECT_EQ(Latest(svc(), id, "acc").value, 3);

  MLCOST_ASSERT_OK(Log(id, {{"nan", kNaN, 10, 0}}));
  EXPECT_TRUE(std::isnan(Latest(svc(), id, "nan").value));
  MLCOST_ASSERT_OK(Log(id, {{"nan", -kInf, 10, 0}}));
  EXPECT_EQ(Latest(svc(), id, "nan").value, -kInf);  // any number beats NaN at the same point
  MLCOST_ASSERT_OK(Log(id, {{"nan", kNaN, 11, 0}}));
  EXPECT_TRUE(std::isnan(Latest(svc(), id, "nan").value));  // a later NaN is still newer

  MLCOST_ASSERT_OK(Log(id, {{"inf", kInf, 1, 0}, {"inf", 1e300, 1, 0}}));
  EXPECT_EQ(Latest(svc(), id, "inf").value, kInf);
  EXPECT_EQ(Scalar("SELECT count(*) FROM latest_metrics"), 4);
}

TEST_F(TrackingTest, ReopeningAFileDatabaseKeepsOneDefaultExperiment) {
  store::TempDir dir;
  const std::string path = dir.path() + "/mlcost.duckdb";
  OpenService(path);
  EXPECT_EQ(NewExperiment("first"), "1");
  CloseService();
  clock_.Advance(3600 * kMicrosPerSecond);
  OpenService(path);
  EXPECT_EQ(Scalar("SELECT count(*) FROM experiments WHERE experiment_id = 0"), 1);
  auto e = svc().GetExperiment("0");
  MLCOST_ASSERT_OK(e);
  EXPECT_EQ(e->creation_time_ms, kStartMillis);  // not re-created at the new time
  MLCOST_ASSERT_OK(svc().GetExperimentByName("first"));
  EXPECT_EQ(NewExperiment("second"), "2");  // the id sequence survived too
}

TEST_F(TrackingTest, LatestMetricsSurviveReopen) {
  store::TempDir dir;
  OpenService(dir.path() + "/db.duckdb");
  const std::string id = NewRun().info.run_id;
  MLCOST_ASSERT_OK(Log(id, {{"loss", 2, 100, 5}}));
  OpenService(dir.path() + "/db.duckdb");  // a fresh writer with empty caches
  MLCOST_ASSERT_OK(Log(id, {{"loss", 9, 100, 4}}));
  EXPECT_EQ(Latest(svc(), id, "loss").value, 2);
  MLCOST_ASSERT_OK(Log(id, {{"loss", 3, 100, 5}}));
  EXPECT_EQ(Latest(svc(), id, "loss").value, 3);
  EXPECT_EQ(Scalar("SELECT count(*) FROM latest_metrics"), 1);
}

TEST_F(TrackingTest, MetricHistoryOrderAndPaging) {
  const std::string id = NewRun().info.run_id;
  MLCOST_ASSERT_OK(Log(id, {{"loss", 0.3, 30, 3}, {"loss", 0.1, 10, 1}, {"other", 5, 1, 1}}));
  MLCOST_ASSERT_OK(Log(id, {{"loss", 0.2, 20, 1}, {"loss", kNaN, 40, 4}, {"loss", kInf, 5, 0}}));
  std::vector<Metric> all = History(svc(), id, "loss");
  ASSERT_EQ(all.size(), 5u);
  std::vector<std::pair<int64_t, int64_t>> order;
  for (const Metric& m : all) order.emplace_back(m.step, m.timestamp_ms);
  EXPECT_THAT(order, ElementsAre(std::pair<int64_t, int64_t>{0, 5}, std::pair<int64_t, int64_t>{1, 10},
                                 std::pair<int64_t, int64_t>{1, 20}, std::pair<int64_t, int64_t>{3, 30},
                                 std::pair<int64_t, int64_t>{4, 40}));
  EXPECT_EQ(all[0].value, kInf);
  EXPECT_TRUE(std::isnan(all[4].value));
  EXPECT_EQ(all[1].key, "loss");

  std::vector<Metric> paged;
  MetricHistoryRequest request{.run_id = id, .metric_key = "loss", .max_results = 2};
  int pages = 0;
  for (;;) {
    auto page = svc().GetMetricHistory(request);
    MLCOST_ASSERT_OK(page);
    ++pages;
    EXPECT_LE(page->metrics.size(), 2u);
    paged.insert(paged.end(), page->metrics.begin(), page->metrics.end());
    if (page->next_page_token.empty()) break;
    request.page_token = page->next_page_token;
    ASSERT_LT(pages, 10);
  }
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(paged.size(), all.size());
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(paged[i].timestamp_ms, all[i].timestamp_ms);

  EXPECT_THAT(History(svc(), id, "missing"), IsEmpty());
  MLCOST_EXPECT_CODE(svc().GetMetricHistory({.run_id = id, .metric_key = "loss", .max_results = -1}),
                     StatusCode::kInvalidArgument);
  MLCOST_EXPECT_CODE(svc().GetMetricHistory({.run_id = id, .metric_key = "loss", .page_token = "??"}),
                     StatusCode::kInvalidArgument);
  MLCOST_EXPECT_CODE(svc().GetMetricHistory({.run_id = "0123456789abcdef0123456789abcdef", .metric_key = "loss"}),
                     StatusCode::kNotFound);
}

TEST_F(TrackingTest, ARetriedBatchDoesNotDuplicateHistory) {
  const std::string id = NewRun().info.run_id;
  LogBatchRequest batch{id, {{"loss", 0.5, 10, 1}, {"loss", kNaN, 11, 2}}, {{"lr", "0.1"}}, {{"t", "v"}}};
  MLCOST_ASSERT_OK(svc().LogBatch(batch));
  MLCOST_ASSERT_OK(svc().LogBatch(batch));  // a client retry after a lost response
  EXPECT_EQ(History(svc(), id, "loss").size(), 2u);
  auto run = svc().GetRun(id);
  MLCOST_ASSERT_OK(run);
  EXPECT_EQ(run->metrics.size(), 1u);
  EXPECT_EQ(run->params.size(), 1u);
  // A different value at the same step and time is a separate point.
  MLCOST_ASSERT_OK(Log(id, {{"loss", 0.6, 10, 1}}));
  EXPECT_EQ(History(svc(), id, "loss").size(), 3u);
}

// Ops that write into a scratch table through a bare WriteBatcher.
class WriteBatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::Database::Open(":memory:", store::DatabaseOptions{.threads = 2});
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    auto conn = db_->Connect();
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE(store::Migrate(*conn, store::SchemaMigrations()).ok());
    ASSERT_TRUE(conn->Execute("CREATE TABLE scratch (x INTEGER)").ok());
    auto batcher = WriteBatcher::Start(*db_);
    ASSERT_TRUE(batcher.ok()) << batcher.status().ToString();
    batcher_ = std::move(batcher).value();
  }
  void TearDown() override {
    batcher_.reset();
    db_.reset();
  }
  static Status Insert(WriteContext& ctx, int x) {
    return ctx.conn().Execute("INSERT INTO scratch VALUES (" + std::to_string(x) + ")");
  }
  int64_t Count(const std::string& where) {
    auto conn = db_->Connect();
    auto rows = conn->Query("SELECT count(*) FROM scratch WHERE " + where);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? rows->GetInt64(0, 0) : -1;
  }
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<WriteBatcher> batcher_;
};

TEST_F(WriteBatcherTest, AFailingOpInAGroupFailsAloneAndLeavesNoTrace) {
  // A blocker holds the writer thread so the ops below queue up and run as one group.
  std::promise<void> started, release;
  std::shared_future<void> released = release.get_future().share();
  std::thread blocker([&] {
    EXPECT_TRUE(batcher_->Submit([&](WriteContext& ctx) {
                          started.set_value();
                          released.wait();
                          return Insert(ctx, -1);
                        }).ok());
  });
  started.get_future().wait();
  constexpr int kOps = 24;
  auto is_bad = [](int i) { return i % 4 == 1; };  // six failing ops spread through the group
  std::vector<Status> results(kOps);
  std::vector<std::atomic<int>> calls(kOps);
  std::atomic<int> submitting{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kOps; ++i) {
    threads.emplace_back([&, i] {
      ++submitting;
      results[i] = batcher_->Submit([&, i](WriteContext& ctx) -> Status {
        ++calls[i];
        RETURN_IF_ERROR(Insert(ctx, i));
        ctx.AddPoints("run" + std::to_string(i), {{"m", 1.0 * i, 1, 0}});
        if (is_bad(i)) return InvalidArgument("op " + std::to_string(i) + " refuses");
        return Status::Ok();
      });
    });
  }
  while (submitting.load() < kOps) std::this_thread::yield();
  release.set_value();
  for (std::thread& t : threads) t.join();
  blocker.join();

  int good = 0;
  for (int i = 0; i < kOps; ++i) {
    EXPECT_GE(calls[i].load(), 1);
    if (is_bad(i)) {
      EXPECT_EQ(results[i].code(), StatusCode::kInvalidArgument) << results[i].ToString();
      EXPECT_EQ(results[i].message(), "op " + std::to_string(i) + " refuses");
      EXPECT_EQ(Count("x = " + std::to_string(i)), 0);
    } else {
      ++good;
      EXPECT_TRUE(results[i].ok()) << i << ": " << results[i].ToString();
      EXPECT_EQ(Count("x = " + std::to_string(i)), 1);  // written once, however often it ran
    }
  }
  EXPECT_EQ(Count("TRUE"), good + 1);  // and the blocker's row
  auto conn = db_->Connect();
  auto points = conn->Query("SELECT count(*), count(DISTINCT run_id) FROM metrics");
  MLCOST_ASSERT_OK(points);
  EXPECT_EQ(points->GetInt64(0, 0), good);
  EXPECT_EQ(points->GetInt64(1, 0), good);
}

TEST_F(WriteBatcherTest, LoneOpsCommitOneByOneAndFailuresRollBack) {
  const uint64_t before = batcher_->commits();
  for (int i = 0; i < 5; ++i) MLCOST_ASSERT_OK(batcher_->Submit([i](WriteContext& ctx) { return Insert(ctx, i); }));
  EXPECT_EQ(batcher_->commits(), before + 5);  // one at a time: one commit each
  MLCOST_EXPECT_CODE(batcher_->Submit([](WriteContext& ctx) { return ctx.Run("nope").status(); }),
                     StatusCode::kNotFound);
  Status bad_sql = batcher_->Submit([](WriteContext& ctx) {
    RETURN_IF_ERROR(Insert(ctx, 99));
    return ctx.conn().Execute("SELEKT 1");
  });
  EXPECT_FALSE(bad_sql.ok());
  EXPECT_THAT(bad_sql.message(), ::testing::HasSubstr("SELEKT"));
  EXPECT_EQ(batcher_->commits(), before + 5);
  EXPECT_EQ(Count("TRUE"), 5);
}

TEST_F(TrackingTest, ConcurrentLogBatchesShareCommitsAndLoseNothing) {
  constexpr int kRuns = 4, kThreads = 16, kBatches = 200, kPoints = 10;
  std::vector<std::string> runs;
  for (int r = 0; r < kRuns; ++r) {
    runs.push_back(NewRun().info.run_id);
    MLCOST_ASSERT_OK(Log(runs.back(), {}, {{"fixed", "1"}}));
  }
  const uint64_t commits_before = svc().write_commits();
  std::atomic<int> good_failures{0}, bad_accepted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string& run = runs[t % kRuns];
      for (int i = 0; i < kBatches; ++i) {
        std::vector<Metric> points;
        for (int j = 0; j < kPoints; ++j) {
          int64_t step = i * kPoints + j;
          points.push_back({"loss", static_cast<double>(t), kStartMillis + step, step});
        }
        Status s = Log(run, std::move(points), {{"p" + std::to_string(t), "v"}}, {{"last", std::to_string(t)}});
        if (!s.ok()) ++good_failures;
      }
    });
  }
  // One more writer whose every batch conflicts with a param: each fails alone.
  threads.emplace_back([&] {
    for (int i = 0; i < kBatches; ++i) {
      Status s = Log(runs[i % kRuns], {{"bad", 1, 1, i}}, {{"fixed", "2"}}, {{"bad", "yes"}});
      if (s.code() != StatusCode::kInvalidArgument) ++bad_accepted;
    }
  });
  // A reader alongside: each query sees whole batches only (10 points each), never part of one.
  std::atomic<bool> writing{true};
  std::atomic<int> torn_reads{0}, failed_reads{0};
  std::thread reader([&] {
    for (int i = 0; writing.load() && i < 300; ++i) {
      auto h = svc().GetMetricHistory({.run_id = runs[i % kRuns], .metric_key = "loss"});
      if (!h.ok()) ++failed_reads;
      else if (h->metrics.size() % kPoints != 0) ++torn_reads;
    }
  });
  for (std::thread& t : threads) t.join();
  writing = false;
  reader.join();

  EXPECT_EQ(failed_reads.load(), 0);
  EXPECT_EQ(torn_reads.load(), 0);
  EXPECT_EQ(good_failures.load(), 0);
  EXPECT_EQ(bad_accepted.load(), 0);
  const uint64_t ops = (kThreads + 1) * kBatches;
  const uint64_t commits = svc().write_commits() - commits_before;
  EXPECT_LT(commits, ops) << "concurrent writes should share commits";
  RecordProperty("commits", static_cast<int>(commits));
  EXPECT_EQ(Scalar("SELECT count(*) FROM metrics"), kThreads * kBatches * kPoints);
  EXPECT_EQ(Scalar("SELECT count(*) FROM metrics WHERE key = 'bad'"), 0);
  EXPECT_EQ(Scalar("SELECT count(*) FROM tags WHERE key = 'bad'"), 0);
  for (int r = 0; r < kRuns; ++r) {
    EXPECT_EQ(History(svc(), runs[r], "loss").size(), static_cast<size_t>(kThreads / kRuns * kBatches * kPoints));
    Metric latest = Latest(svc(), runs[r], "loss");
    EXPECT_EQ(latest.step, kBatches * kPoints - 1);
    EXPECT_EQ(latest.timestamp_ms, kStartMillis + kBatches * kPoints - 1);
    EXPECT_EQ(latest.value, r + kThreads - kRuns);  // the largest value among the run's writers
    auto run = svc().GetRun(runs[r]);
    MLCOST_ASSERT_OK(run);
    EXPECT_EQ(run->params.size(), 1u + kThreads / kRuns);
    EXPECT_EQ(TagValue(run->params, "fixed"), "1");
    EXPECT_EQ((std::stoi(TagValue(run->tags, "last")) - r) % kRuns, 0);
  }
}

// Child side of the durability test: logs batches from 4 threads, reports each batch id once it
// is acknowledged, and kills itself without running a destructor or a checkpoint.
[[noreturn]] void LogUntilKilled(const std::string& path, int fd) {
  FakeClock clock(kStartMicros);
  auto db = store::Database::Open(path, store::DatabaseOptions{.threads = 2});
  if (!db.ok()) _exit(2);
  auto svc = TrackingService::Open(**db, clock);
  if (!svc.ok()) _exit(3);
  auto run = (*svc)->CreateRun({});
  if (!run.ok() || write(fd, run->info.run_id.data(), 32) != 32) _exit(4);
  std::atomic<int> acked{0};
  for (int t = 0; t < 4; ++t) {
    std::thread([&, t] {
      for (int32_t i = 0;; ++i) {
        const int32_t batch = t * 1000000 + i;
        std::vector<Metric> points;
        for (int j = 0; j < 10; ++j) points.push_back({"loss", 1.0 * batch, kStartMillis, int64_t{batch} * 10 + j});
        if (!(*svc)->LogBatch({run->info.run_id, std::move(points), {}, {}}).ok()) _exit(5);
        if (write(fd, &batch, sizeof batch) != sizeof batch) _exit(6);
        ++acked;
      }
    }).detach();
  }
  while (acked.load() < 300) std::this_thread::yield();
  raise(SIGKILL);
  _exit(7);
}

TEST(DurabilityTest, AcknowledgedBatchesSurviveKill9) {
  store::TempDir dir;
  const std::string path = dir.path() + "/mlcost.duckdb";
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(fds[0]);
    LogUntilKilled(path, fds[1]);
  }
  close(fds[1]);
  std::string bytes;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    ASSERT_GT(n, 0);
    bytes.append(buf, n);
  }
  close(fds[0]);
  int wstatus = 0;
  ASSERT_EQ(waitpid(pid, &wstatus, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL)
      << "child exited with " << (WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1);
  ASSERT_GE(bytes.size(), 32u);
  const std::string run_id = bytes.substr(0, 32);
  std::vector<int32_t> acked((bytes.size() - 32) / sizeof(int32_t));
  std::memcpy(acked.data(), bytes.data() + 32, acked.size() * sizeof(int32_t));
  ASSERT_GE(acked.size(), 300u);

  FakeClock clock(kStartMicros);
  auto db = store::Database::Open(path);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  auto svc = TrackingService::Open(**db, clock);
  ASSERT_TRUE(svc.ok()) << svc.status().ToString();
  EXPECT_EQ((*svc)->SearchExperiments({.view = ViewType::kAll})->experiments.size(), 1u);
  std::vector<Metric> history = History(**svc, run_id, "loss");
  std::set<int64_t> steps;
  for (const Metric& m : history) steps.insert(m.step);
  size_t missing = 0;
  for (int32_t batch : acked) {
    for (int j = 0; j < 10; ++j) missing += steps.count(int64_t{batch} * 10 + j) == 0;
  }
  EXPECT_EQ(missing, 0u) << "of " << acked.size() * 10 << " acknowledged points";
  EXPECT_GE(history.size(), acked.size() * 10);
  EXPECT_EQ(history.size() % 10, 0u);  // no batch half-written
  // The recovered database takes new writes.
  MLCOST_ASSERT_OK((*svc)->LogBatch({run_id, {{"after", 1, 1, 0}}, {}, {}}));
}

}  // namespace
}  // namespace mlcost::tracking
