// Durable, atomic file writes for the stage cache (docs/cache.md, "Formats"): a temp file in the
// cache's tmp/ directory (same file system), fsync, rename into place, fsync the directory. A crash
// leaves either nothing or the complete file, plus at worst a temp file that gc reaps.
#ifndef MLCOST_STAGECACHE_DURABLE_IO_H_
#define MLCOST_STAGECACHE_DURABLE_IO_H_

#include <string>
#include <string_view>

#include "common/durable_file.h"
#include "common/sha256.h"
#include "mlcost/status.h"

namespace mlcost::stagecache {

// IoError (the errno -> Status mapping), FsyncDirectory and the temp+fsync+rename write are
// common/durable_file.h; this adds the stage cache's temp naming, hashing copy and small helpers.

// A fresh temp path "<tmp_dir>/<tag>.<pid>.<n>" (unique within this host).
std::string TempPath(const std::string& tmp_dir, std::string_view tag);

// Writes `content` to a temp file in `tmp_dir` (TempPath), fsyncs it and renames it to `dest`
// (replacing it), then fsyncs dest's directory (common ReplaceFileAtomically). On failure the temp file is removed and dest is untouched.
Status WriteFileAtomically(const std::string& tmp_dir, const std::string& dest, std::string_view content);

// Copies the regular file `src` into `temp` (created, mode `mode`), hashing the bytes as they
// are written, and fsyncs it when `sync`. Returns size and sha256 of the bytes written. On failure
// `temp` is removed. NotFound when `src` does not exist; InvalidArgument when it is not a regular
// file; IoError codes otherwise.
Result<FileDigest> CopyAndHash(const std::string& src, const std::string& temp, unsigned mode, bool sync);

// Reads a whole (small) file. NotFound when it does not exist.
Result<std::string> ReadSmallFile(const std::string& path);

// Creates `dir` and its parents; IoError on failure.
Status MakeDirs(const std::string& dir);

}  // namespace mlcost::stagecache

#endif  // MLCOST_STAGECACHE_DURABLE_IO_H_
