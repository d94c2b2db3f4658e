// Manifest: MANIFEST.json of one checkpoint, the contract in docs/checkpoints.md
// ("mlcost-checkpoint/1"). Parsing validates everything a reader relies on.
#ifndef MLCOST_CHECKPOINT_MANIFEST_H_
#define MLCOST_CHECKPOINT_MANIFEST_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/time_util.h"
#include "mlcost/status.h"

namespace mlcost::checkpoint {

inline constexpr std::string_view kManifestFormat = "mlcost-checkpoint/1";
inline constexpr std::string_view kManifestFileName = "MANIFEST.json";

struct ManifestFile {
  std::string path;  // relative, '/'-separated, under <name>/data/
  uint64_t size = 0;
  std::string sha256;  // 64 lowercase hex

  bool operator==(const ManifestFile&) const = default;
};

struct Manifest {
  std::string name;
  std::string created_at;    // "2026-12-01T16:20:00.123456Z", as written
  Micros created_at_us = 0;  // created_at parsed
  std::optional<int64_t> step;
  std::map<std::string, double> metrics;
  std::vector<ManifestFile> files;
};

// OK when `name` is 1-200 characters of [A-Za-z0-9._-] not starting with '.'; else
// InvalidArgument saying which rule it breaks.
Status ValidateCheckpointName(std::string_view name);

// OK for a relative '/'-separated path whose segments are non-empty, not "." or "..", and free of
// NUL and '\\'; else InvalidArgument naming it.
Status ValidateDataPath(std::string_view path);

// Maps any text to a valid checkpoint name: characters outside [A-Za-z0-9._-] become '_', leading
// dots are dropped, the result is cut to 200 characters; "checkpoint" when nothing is left.
std::string SanitizeCheckpointName(std::string_view text);

// The step a checkpoint file's name implies: the first run of ASCII digits in it
// ("step-000400.pt" -> 400, "epoch3_step200.pt" -> 3); none when there is no digit or the run does
// not fit in int64.
std::optional<int64_t> StepFromFileName(std::string_view file_name);

// "2026-12-01T16:20:00.123456Z": always six fractional digits, so the text sorts like the time.
std::string FormatCreatedAt(Micros t);

// Parses and validates MANIFEST.json text. `expected_name` (the directory it was found in) must
// equal the manifest's "name". InvalidArgument naming the first problem: not JSON, wrong
// format, bad name, created_at, step (integer or null), metrics (name -> finite number), files
// (non-empty; path, size >= 0, sha256 of 64 lowercase hex; no path twice). Unknown fields are
// ignored so later versions can add some.
Result<Manifest> ParseManifest(std::string_view text, std::string_view expected_name);

// The manifest as JSON text (2-space indented, trailing newline). Metrics must be finite.
std::string ManifestToJson(const Manifest& manifest);

// The order of checkpoints: created_at, then step (none first), then name. True when a < b.
bool CheckpointOlder(const Manifest& a, const Manifest& b);

}  // namespace mlcost::checkpoint

#endif  // MLCOST_CHECKPOINT_MANIFEST_H_
