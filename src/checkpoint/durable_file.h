// Durable local writes for the checkpoint store: write a temp file in the destination's
// directory, fsync it, rename it over the destination, fsync the directory. A crash leaves either
// the old state or the complete new file (plus, at worst, a dot-named temp file).
#ifndef MLCOST_CHECKPOINT_DURABLE_FILE_H_
#define MLCOST_CHECKPOINT_DURABLE_FILE_H_

#include <string>
#include <string_view>

#include "common/sha256.h"
#include "mlcost/status.h"

namespace mlcost::checkpoint {

// True for the temp files these functions create (".<name>.mlcost-tmp-...").
bool IsDurableTempName(std::string_view file_name);

// Copies `src` to `dest` durably (copy_file_range where possible) and returns the size and sha256
// of the bytes stored: the temp file is read back and hashed while fsync runs. NotFound when `src` does
// not exist; InvalidArgument when it is not a regular file; ResourceExhausted on ENOSPC, EDQUOT or
// EFBIG (disk full, quota, file size limit); Internal with strerror otherwise. On failure the temp
// file is removed and `dest` is untouched.
Result<FileDigest> CopyFileDurably(const std::string& src, const std::string& dest);

// Writes `content` to `dest` durably; errors as CopyFileDurably.
Status WriteFileDurably(const std::string& dest, std::string_view content);

// fsync of a directory, so renames and creations in it survive a crash.
Status FsyncDirectory(const std::string& dir);

}  // namespace mlcost::checkpoint

#endif  // MLCOST_CHECKPOINT_DURABLE_FILE_H_
