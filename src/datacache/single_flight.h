// SingleFlight<T>: concurrent calls for one key run the work once; the others wait for it and
// share its result (the Go singleflight pattern; JuiceFS uses it for block downloads). Used so
// that N training workers missing the same object cause one upstream GET, not N.
#ifndef MLCOST_DATACACHE_SINGLE_FLIGHT_H_
#define MLCOST_DATACACHE_SINGLE_FLIGHT_H_

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace mlcost::datacache {

template <typename T>
class SingleFlight {
 public:
  // Runs `work` unless a call for `key` is already running, in which case it waits for that call
  // and returns a copy of its result. `*shared` (when given) tells which happened. A call that
  // starts after the running one finished runs `work` again. Thread-safe; `work` must not call
  // Do with the same key.
  T Do(const std::string& key, const std::function<T()>& work, bool* shared = nullptr) {
    std::shared_ptr<Call> call;
    {
      std::unique_lock<std::mutex> lock(mu_);
      auto it = calls_.find(key);
      if (it != calls_.end()) {
        call = it->second;
        ++call->waiters;
        call->done_cv.wait(lock, [&] { return call->done; });
        if (shared != nullptr) *shared = true;
        return *call->result;
      }
      call = std::make_shared<Call>();
      calls_[key] = call;
    }
    if (shared != nullptr) *shared = false;
    T result = work();
    {
      std::lock_guard<std::mutex> lock(mu_);
      call->result = std::make_unique<T>(result);
      call->done = true;
      calls_.erase(key);
    }
    call->done_cv.notify_all();
    return result;
  }

  // How many callers are waiting for the running call for `key` (for tests).
  int Waiting(const std::string& key) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = calls_.find(key);
    return it == calls_.end() ? 0 : it->second->waiters;
  }

 private:
  struct Call {
    std::condition_variable done_cv;
    int waiters = 0;              // GUARDED_BY(mu_)
    bool done = false;            // GUARDED_BY(mu_)
    std::unique_ptr<T> result;    // GUARDED_BY(mu_)
  };
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<Call>> calls_;  // GUARDED_BY(mu_)
};

}  // namespace mlcost::datacache

#endif  // MLCOST_DATACACHE_SINGLE_FLIGHT_H_
