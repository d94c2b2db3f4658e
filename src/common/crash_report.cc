#include "common/crash_report.h"

#include <execinfo.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdlib>

namespace mlcost {
namespace {

constexpr int kFatal[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
constexpr size_t kAltStackSize = 64 * 1024;
constexpr int kMaxFrames = 64;

// Decimal digits of `value` into `out` (no allocation); returns the length.
size_t FormatNumber(long value, char* out) {
  char tmp[24];
  size_t n = 0;
  bool negative = value < 0;
  unsigned long v = negative ? 0UL - static_cast<unsigned long>(value) : static_cast<unsigned long>(value);
  do {
    tmp[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  size_t len = 0;
  if (negative) out[len++] = '-';
  while (n > 0) out[len++] = tmp[--n];
  return len;
}

void Write(const char* text, size_t len) {
  while (len > 0) {
    ssize_t n = write(STDERR_FILENO, text, len);
    if (n <= 0) return;
    text += n;
    len -= static_cast<size_t>(n);
  }
}

void Write(const char* text) { Write(text, strlen(text)); }

void OnFatalSignal(int sig, siginfo_t* info, void*) {
  char number[24];
  Write("mlcost: fatal signal ");
  Write(number, FormatNumber(sig, number));
  const char* name = sigabbrev_np(sig);
  if (name != nullptr) {
    Write(" (SIG");
    Write(name);
    Write(")");
  }
  Write(" in thread ");
  Write(number, FormatNumber(static_cast<long>(syscall(SYS_gettid)), number));
  if (sig == SIGSEGV || sig == SIGBUS) {
    Write(" at address 0x");
    char hex[20];
    auto addr = reinterpret_cast<unsigned long>(info->si_addr);
    size_t n = 0;
    do {
      hex[n++] = "0123456789abcdef"[addr % 16];
      addr /= 16;
    } while (addr != 0);
    while (n > 0) Write(&hex[--n], 1);
  }
  Write("\nbacktrace:\n");
  void* frames[kMaxFrames];
  int depth = backtrace(frames, kMaxFrames);
  backtrace_symbols_fd(frames, depth, STDERR_FILENO);
  // Die of the same signal with the default action (a core dump where enabled).
  signal(sig, SIG_DFL);
  raise(sig);
}

}  // namespace

void InstallCrashReport() {
  void* prime[1];
  backtrace(prime, 1);  // loads libgcc's unwinder now, not in the handler
  static char* alt_stack = static_cast<char*>(std::malloc(kAltStackSize));
  stack_t ss{};
  ss.ss_sp = alt_stack;
  ss.ss_size = kAltStackSize;
  if (alt_stack != nullptr) sigaltstack(&ss, nullptr);
  struct sigaction sa {};
  sa.sa_sigaction = OnFatalSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESETHAND;
  for (int sig : kFatal) sigaction(sig, &sa, nullptr);
}

}  // namespace mlcost
