// Helpers shared by the pricing tests: where the shared catalog samples are, and temp CSV files.
#ifndef MLCOST_PRICING_PRICING_TEST_UTIL_H_
#define MLCOST_PRICING_PRICING_TEST_UTIL_H_

#include <stdlib.h>  // mkdtemp

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace mlcost::pricing::testing {

// ${MLCOST_SOURCE_DIR}/../shared/data/catalog/<name>; ctest sets MLCOST_SOURCE_DIR, a direct run
// falls back to the source dir compiled in.
inline std::string CatalogFile(const std::string& name) {
  const char* env = std::getenv("MLCOST_SOURCE_DIR");
  std::string root = env != nullptr && *env != '\0' ? env : MLCOST_DEFAULT_SOURCE_DIR;
  return root + "/../shared/data/catalog/" + name;
}

// A directory under the system temp dir, removed with its files when the object dies.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "mlcost_pricing_XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // Writes `content` to <dir>/<name> and returns its path.
  std::string Write(const std::string& name, const std::string& content) const {
    std::filesystem::path p = std::filesystem::path(path_) / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << content;
    return p.string();
  }

 private:
  std::string path_;
};

}  // namespace mlcost::pricing::testing

#endif  // MLCOST_PRICING_PRICING_TEST_UTIL_H_
