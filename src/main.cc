// The mlcost executable: parse argv, call the library.
#include "cli/cli.h"
#include "common/crash_report.h"

int main(int argc, char** argv) {
  mlcost::InstallCrashReport();  // a crash prints its signal, address and backtrace to stderr
  return mlcost::cli::Main(argc, argv);
}
