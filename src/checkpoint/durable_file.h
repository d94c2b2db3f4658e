// Durable local writes for the checkpoint store: write a temp file in the destination's
// directory, fsync it, rename it over the destination, fsync the directory. A crash leaves either
// the old state or the complete new file (plus, at worst, a dot-named temp file).
#ifndef MLCOST_CHECKPOINT_DURABLE_FILE_H_
#define MLCOST_CHECKPOINT_DURABLE_FILE_H_

#include <string>
#include <string_view>

#include "common/durable_file.h"
#include "common/sha256.h"
#include "mlcost/status.h"

namespace mlcost::checkpoint {

// FsyncDirectory, IoError and the temp+fsync+rename write are common/durable_file.h; this adds the
// checkpoint store's temp naming (next to the destination) and the hashing copy.

// True for the temp files these functions create (".<name>.mlcost-tmp-...").
bool IsDurableTempName(std::string_view file_name);

// Copies `src` to `dest` durably (copy_file_range where possible) and returns the size and sha256
// of the bytes stored: the temp file is read back and hashed while fsync runs. NotFound when `src` does
// not exist; InvalidArgument when it is not a regular file; other errors as common IoError
// (ResourceExhausted on ENOSPC, EDQUOT or EFBIG; PermissionDenied on EACCES, EPERM, EROFS). On failure the temp
// file is removed and `dest` is untouched.
Result<FileDigest> CopyFileDurably(const std::string& src, const std::string& dest);

// Writes `content` to `dest` durably (common ReplaceFileAtomically); errors as CopyFileDurably.
Status WriteFileDurably(const std::string& dest, std::string_view content);

}  // namespace mlcost::checkpoint

#endif  // MLCOST_CHECKPOINT_DURABLE_FILE_H_
