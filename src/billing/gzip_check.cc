#include "billing/gzip_check.h"

#include <zlib.h>

#include <fstream>
#include <vector>

namespace mlcost::billing {

bool IsGzip(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  unsigned char magic[2] = {};
  in.read(reinterpret_cast<char*>(magic), 2);
  return in.gcount() == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
}

Status CheckGzip(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument(path + ": cannot open");
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 32) != Z_OK) return Internal("zlib inflateInit2 failed");
  std::vector<unsigned char> input(1 << 16), output(1 << 18);
  int ret = Z_OK;
  uint64_t consumed = 0;
  bool in_member = true;
  while (true) {
    in.read(reinterpret_cast<char*>(input.data()), static_cast<std::streamsize>(input.size()));
    std::streamsize got = in.gcount();
    if (got == 0) break;
    zs.next_in = input.data();
    zs.avail_in = static_cast<uInt>(got);
    while (zs.avail_in > 0) {
      if (!in_member) {  // concatenated members (gzip allows them; AWS writes them)
        inflateReset(&zs);
        in_member = true;
      }
      zs.next_out = output.data();
      zs.avail_out = static_cast<uInt>(output.size());
      uInt before = zs.avail_in;
      ret = inflate(&zs, Z_NO_FLUSH);
      consumed += before - zs.avail_in;
      if (ret == Z_STREAM_END) {
        in_member = false;
      } else if (ret != Z_OK && ret != Z_BUF_ERROR) {
        std::string why = zs.msg != nullptr ? zs.msg : "corrupt data";
        inflateEnd(&zs);
        return InvalidArgument(path + ": corrupt gzip stream at byte " + std::to_string(consumed) + " (" + why + ")");
      }
    }
  }
  inflateEnd(&zs);
  if (in_member) {
    return InvalidArgument(path + ": the gzip stream is truncated (it ends after " + std::to_string(consumed) +
                           " bytes without its trailer); the file was not loaded");
  }
  return Status::Ok();
}

}  // namespace mlcost::billing
