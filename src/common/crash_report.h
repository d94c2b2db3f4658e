// InstallCrashReport: on a fatal signal (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT) write
// "mlcost: fatal signal N (NAME) in thread TID" and a raw backtrace (addresses with symbol names
// where the dynamic symbol table has them) to stderr, then die of the same signal, so a crash seen
// once in CI leaves enough to find it (`addr2line -e build/mlcost ADDRESS` resolves the rest).
#ifndef MLCOST_COMMON_CRASH_REPORT_H_
#define MLCOST_COMMON_CRASH_REPORT_H_

namespace mlcost {

// Installs the handlers on an alternate signal stack (so a stack overflow is reported too). Call
// once, early in main, before threads start. Only async-signal-safe calls run in the handler
// (backtrace() is primed here so it does not load libgcc there).
void InstallCrashReport();

}  // namespace mlcost

#endif  // MLCOST_COMMON_CRASH_REPORT_H_
