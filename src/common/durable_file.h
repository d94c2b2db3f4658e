// Durable local file writes shared by the stage cache and the checkpoint store: the errno ->
// Status mapping, a directory fsync, and "write a temp file, fsync it, rename it over the
// destination, fsync the directory" so that a crash leaves either the old state or the complete
// new file (plus, at worst, the temp file, which each caller names so that its own gc can find it).
#ifndef MLCOST_COMMON_DURABLE_FILE_H_
#define MLCOST_COMMON_DURABLE_FILE_H_

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "mlcost/status.h"

namespace mlcost {

// The Status for a failed system call on `path` with errno `err`: ResourceExhausted for ENOSPC,
// EDQUOT and EFBIG (disk full, quota, file size limit), PermissionDenied for EACCES, EPERM and
// EROFS, NotFound for ENOENT, Internal otherwise. The message is "<what> '<path>': <strerror>".
Status IoError(const std::string& what, const std::string& path, int err);

// The directory part of `path`: "." when it has no slash, "/" for a file in the root.
std::string DirOf(const std::string& path);

// Writes all `size` bytes to `fd` (retrying short writes and EINTR); IoError naming `path`.
Status WriteAll(int fd, const char* data, size_t size, const std::string& path);

// Opens the regular file `path` read-only for one sequential pass and returns the descriptor
// (the caller closes it). IoError codes (NotFound when it does not exist); InvalidArgument
// "'<path>' is not a regular file" for a directory, device or pipe.
Result<int> OpenForSequentialRead(const std::string& path);

// fsync of a directory, so that renames and creations in it survive a crash. EINVAL (file
// systems that cannot fsync a directory) is ignored.
Status FsyncDirectory(const std::string& dir);

// Fills an open temp file: writes to `fd` (the file at `temp`); may fsync it itself.
using TempFileFill = std::function<Status(int fd, const std::string& temp)>;

// Creates `temp` (O_EXCL, mode 0644), lets `fill` write it, fsyncs it (unless
// `fill_fsyncs`), closes it, renames it over `dest` and fsyncs dest's directory. `temp` must be
// on dest's file system. On failure the temp file is removed and `dest` is untouched.
Status ReplaceFileVia(const std::string& temp, const std::string& dest, const TempFileFill& fill,
                    bool fill_fsyncs = false);

// ReplaceFileVia with a fill that writes `content` (small content: one buffer).
Status ReplaceFileAtomically(const std::string& temp, const std::string& dest, std::string_view content);

}  // namespace mlcost

#endif  // MLCOST_COMMON_DURABLE_FILE_H_
