#!/usr/bin/env bash
# Installs everything a fresh Debian 12 machine lacks to build, run and test mlcost.
# Idempotent: a second run installs nothing and downloads nothing.
set -euo pipefail
cd "$(dirname "$0")"

APT_PACKAGES=(
  build-essential cmake pkg-config git ca-certificates curl
  libcpp-httplib-dev nlohmann-json3-dev libcli11-dev libspdlog-dev libfmt-dev libssl-dev libjemalloc-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  nodejs python3 python3-requests python3-pytest python3-pandas
  python3-torch python3-sklearn python3-boto3 python3-setuptools python3-pip awscli python3-optuna python3-joblib
  nginx-light
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm ships with nodesource's nodejs; Debian's own nodejs needs the separate npm package.
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# DuckDB 1.4.4 LTS: prebuilt libduckdb.so from the node bindings package, duckdb.h from the
# duckdb package. Both fetched with npm pack and checked against their full sha256.
DUCK_DIR=third_party/duckdb
BINDINGS=@duckdb/node-bindings-linux-x64@1.4.4-r.4
BINDINGS_SHA=732fac4dc6b8f198870b9c4bb6ddf13544466daca00ad28ba2f1d80de5d7aa4b
HEADERS=duckdb@1.4.4
HEADERS_SHA=5bb967dcbcd517670ba5f169f238fb9d6787e53752c60ebe24386169d76941ed

fetch() { # fetch PACKAGE SHA256 -> prints tarball path
  local pkg=$1 sha=$2 dir
  dir=$(mktemp -d)
  (cd "$dir" && npm pack --silent "$pkg" >/dev/null)
  local tgz
  tgz=$(ls "$dir"/*.tgz)
  echo "$sha  $tgz" | sha256sum -c --quiet - || { echo "setup: sha256 mismatch for $pkg" >&2; exit 1; }
  echo "$tgz"
}

if [ ! -f "$DUCK_DIR/lib/libduckdb.so" ] || [ ! -f "$DUCK_DIR/include/duckdb.h" ]; then
  echo "setup: fetching DuckDB 1.4.4"
  mkdir -p "$DUCK_DIR/lib" "$DUCK_DIR/include"
  tgz=$(fetch "$BINDINGS" "$BINDINGS_SHA")
  tar xzf "$tgz" -C "$DUCK_DIR/lib" --strip-components=1 package/libduckdb.so
  tgz=$(fetch "$HEADERS" "$HEADERS_SHA")
  tar xzf "$tgz" -C "$DUCK_DIR/include" --strip-components=5 package/src/duckdb/src/include/duckdb.h
fi

# Node test peers: the npm `mlflow` client (MLflow's published JavaScript client) and `s3rver`
# (an S3-compatible server for the checkpoint store and data cache tests).
if [ ! -d tests/node/node_modules/mlflow ] || [ ! -d tests/node/node_modules/s3rver ]; then
  echo "setup: installing node test peers"
  (cd tests/node && npm install --silent --no-audit --no-fund >/dev/null)
fi
echo "setup: ok"
