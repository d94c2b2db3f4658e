// The mlcost executable: parse argv, call the library.
#include "cli/cli.h"

int main(int argc, char** argv) { return mlcost::cli::Main(argc, argv); }
