// SHA-256 and HMAC-SHA256 through OpenSSL 3 (EVP; SHA-NI where the CPU has it). Used for checkpoint
// file digests and AWS Signature V4.
#ifndef MLCOST_COMMON_SHA256_H_
#define MLCOST_COMMON_SHA256_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "mlcost/status.h"

namespace mlcost {

using Sha256Digest = std::array<uint8_t, 32>;

// A streaming SHA-256: Update any number of times, then Final once. Not thread-safe; movable.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;

  void Update(const void* data, size_t size);
  void Update(std::string_view data) { Update(data.data(), data.size()); }
  // The digest of everything given so far. The hasher must not be used afterwards.
  Sha256Digest Final();
  // Final() as 64 lowercase hex characters.
  std::string FinalHex();

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

// 64 lowercase hex characters of SHA-256(data).
std::string Sha256Hex(std::string_view data);

// HMAC-SHA256(key, data), raw 32 bytes.
Sha256Digest HmacSha256(std::string_view key, std::string_view data);

// Lowercase hex of arbitrary bytes.
std::string HexLower(const uint8_t* data, size_t size);
inline std::string HexLower(const Sha256Digest& d) { return HexLower(d.data(), d.size()); }

// Streams the file at `path` through SHA-256 (1 MiB reads). NotFound when it does not exist,
// Internal with strerror for another read error. Also returns the number of bytes read.
struct FileDigest {
  std::string sha256;
  uint64_t size = 0;
};
Result<FileDigest> Sha256File(const std::string& path);

}  // namespace mlcost

#endif  // MLCOST_COMMON_SHA256_H_
