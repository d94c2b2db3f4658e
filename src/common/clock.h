// Clock: where time enters mlcost. Production code takes a Clock& so tests can inject FakeClock
// (billing windows, run durations and TTLs are all about time).
#ifndef MLCOST_COMMON_CLOCK_H_
#define MLCOST_COMMON_CLOCK_H_

#include <atomic>

#include "common/time_util.h"

namespace mlcost {

class Clock {
 public:
  virtual ~Clock() = default;
  // Microseconds since the Unix epoch, UTC. Thread-safe.
  virtual Micros Now() const = 0;
};

// The wall clock (CLOCK_REALTIME).
class SystemClock final : public Clock {
 public:
  Micros Now() const override;
  // A process-wide instance; never destroyed.
  static SystemClock& Get();
};

// A clock that moves only when told. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(Micros start) : now_(start) {}
  Micros Now() const override { return now_.load(); }
  void Set(Micros t) { now_.store(t); }
  void Advance(Micros d) { now_.fetch_add(d); }

 private:
  std::atomic<Micros> now_;
};

}  // namespace mlcost

#endif  // MLCOST_COMMON_CLOCK_H_
