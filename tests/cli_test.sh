#!/usr/bin/env bash
# End-to-end test of the mlcost command line against the real binary: usage and exit codes,
# `serve` + client commands over HTTP (--server) and in-process (--data-dir), the data-directory
# lock, and `demo`. Free ports only (port 0), temp dirs, bounded waits; background servers are
# killed on exit. Usage: MLCOST_BINARY=build/mlcost bash tests/cli_test.sh
set -euo pipefail

MLCOST="${MLCOST_BINARY:-build/mlcost}"
PY=/usr/bin/python3
[[ -x "$MLCOST" ]] || { echo "FAIL: mlcost binary not found at $MLCOST (set MLCOST_BINARY)" >&2; exit 1; }

TMP="$(mktemp -d "${TMPDIR:-/tmp}/mlcost_cli_test.XXXXXX")"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "--- $*"; }

# run_cli EXPECTED_EXIT ARGS...: runs mlcost (60 s limit); stdout in $OUT, stderr in $ERR.
run_cli() {
  local expected="$1"; shift
  local rc=0
  timeout 60 "$MLCOST" "$@" >"$TMP/out" 2>"$TMP/err" || rc=$?
  OUT="$(cat "$TMP/out")"; ERR="$(cat "$TMP/err")"
  if [[ "$rc" != "$expected" ]]; then
    fail "mlcost $* exited $rc, expected $expected
stdout: $OUT
stderr: $ERR"
  fi
}

contains() {  # contains HAYSTACK NEEDLE WHAT
  [[ "$1" == *"$2"* ]] || fail "$3: expected to find '$2' in:
$1"
}

# wait_for_url LOGFILE PID: the URL from the first line "mlcost listening on URL ...", within 30 s.
wait_for_url() {
  local log="$1" pid="$2"
  for _ in $(seq 300); do
    if [[ -s "$log" ]] && head -1 "$log" | grep -q '^mlcost listening on http://'; then
      head -1 "$log" | sed -E 's/^mlcost listening on (http:[^ ]+).*/\1/'
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || fail "server exited early: $(cat "$log")"
    sleep 0.1
  done
  fail "no 'mlcost listening on' line within 30 s: $(cat "$log")"
}

# stop_server PID: SIGTERM, then wait up to 20 s; fails unless it exits 0.
stop_server() {
  local pid="$1" rc=0
  kill -TERM "$pid"
  for _ in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && fail "server $pid still running 20 s after SIGTERM"
  wait "$pid" || rc=$?
  [[ "$rc" == 0 ]] || fail "server $pid exited $rc after SIGTERM"
}

post() { curl -sS --max-time 10 -X POST -H 'Content-Type: application/json' "$1" -d "$2"; }

step "usage and exit codes"
run_cli 0 --help
for sub in serve demo experiments runs; do contains "$OUT" "$sub" "mlcost --help"; done
run_cli 0 --version
[[ "$OUT" == "0.1.0" ]] || fail "--version printed '$OUT'"
run_cli 0 runs list --help
run_cli 2 runs list --no-such-flag
run_cli 2 runs list --max-results 0
run_cli 2 runs list --server not-a-url
run_cli 1 runs list --server http://127.0.0.1:1
contains "$ERR" "cannot reach mlcost server at http://127.0.0.1:1" "unreachable server"
contains "$ERR" "mlcost serve" "unreachable server hint"
run_cli 1 experiments list --data-dir "$TMP/does-not-exist"
[[ ! -e "$TMP/does-not-exist" ]] || fail "a client command created a data directory"

step "serve + client commands over --server"
DATA="$TMP/data"
"$MLCOST" serve --data-dir "$DATA" --port 0 >"$TMP/serve.log" 2>&1 &
SERVE_PID=$!
PIDS+=("$SERVE_PID")
URL="$(wait_for_url "$TMP/serve.log" "$SERVE_PID")"
EXP_ID="$(post "$URL/api/2.0/mlflow/experiments/create" '{"name": "cli-test-exp"}' |
  $PY -c 'import json,sys; print(json.load(sys.stdin)["experiment_id"])')"
RUN_ID="$(post "$URL/api/2.0/mlflow/runs/create" "{\"experiment_id\": \"$EXP_ID\", \"run_name\": \"cli-run\",
  \"start_time\": $(( $(date +%s) * 1000 - 60000 )),
  \"tags\": [{\"key\": \"mlcost.instance_type\", \"value\": \"p3.2xlarge\"}]}" |
  $PY -c 'import json,sys; print(json.load(sys.stdin)["run"]["info"]["run_id"])')"
post "$URL/api/2.0/mlflow/runs/log-parameter" "{\"run_id\": \"$RUN_ID\", \"key\": \"lr\", \"value\": \"0.01\"}" >/dev/null

run_cli 0 experiments list --server "$URL"
contains "$OUT" "cli-test-exp" "experiments list"
contains "$OUT" "NAME" "experiments list header"
run_cli 0 experiments list --server "$URL" --json
echo "$OUT" | $PY -c 'import json,sys; d=json.load(sys.stdin); assert any(e["name"]=="cli-test-exp" for e in d["experiments"]), d'

run_cli 0 runs list --server "$URL"
contains "$OUT" "$RUN_ID" "runs list"
run_cli 0 runs list --server "$URL" --json --experiment "$EXP_ID"
echo "$OUT" | RUN_ID="$RUN_ID" $PY -c '
import json, os, sys
d = json.load(sys.stdin)
ids = [r.get("id") or r.get("info", {}).get("run_id") for r in d["runs"]]
assert ids == [os.environ["RUN_ID"]], ids'
run_cli 0 runs list --server "$URL" --experiment cli-test-exp --filter "params.lr = '0.01'"
contains "$OUT" "$RUN_ID" "runs list by experiment name and filter"
run_cli 2 runs list --server "$URL" --filter "params.lr ~~ 1"
run_cli 1 runs list --server "$URL" --experiment no-such-experiment

run_cli 0 runs show "$RUN_ID" --server "$URL"
contains "$OUT" "$RUN_ID" "runs show"
contains "$OUT" "cost" "runs show cost"
contains "$OUT" "lr" "runs show params"
run_cli 0 runs show "$RUN_ID" --server "$URL" --json
echo "$OUT" | $PY -c 'import json,sys; json.load(sys.stdin)'
run_cli 1 runs show 0123456789abcdef0123456789abcdef --server "$URL"

step "the data-directory lock"
run_cli 1 serve --data-dir "$DATA" --port 0
contains "$ERR" "pid $SERVE_PID" "second serve names the holder"
run_cli 1 runs list --data-dir "$DATA"
contains "$ERR" "in use by pid $SERVE_PID" "--data-dir while a server holds it"
contains "$ERR" "--server $URL" "--data-dir conflict suggests --server"
stop_server "$SERVE_PID"

step "client commands over --data-dir"
run_cli 0 runs list --data-dir "$DATA"
contains "$OUT" "$RUN_ID" "runs list --data-dir"
run_cli 0 runs show "$RUN_ID" --data-dir "$DATA"
contains "$OUT" "$RUN_ID" "runs show --data-dir"
run_cli 0 experiments list --data-dir "$DATA" --view all
contains "$OUT" "cli-test-exp" "experiments list --data-dir"

step "demo"
DEMO="$TMP/demo"
"$MLCOST" demo --data-dir "$DEMO" --port 0 >"$TMP/demo.log" 2>&1 &
DEMO_PID=$!
PIDS+=("$DEMO_PID")
DEMO_URL="$(wait_for_url "$TMP/demo.log" "$DEMO_PID")"
seeded=""
for _ in $(seq 300); do
  if curl -sS --max-time 5 "$DEMO_URL/api/2.0/mlflow/experiments/search?max_results=100" 2>/dev/null |
    grep -q demo-image-classifier && grep -q "Press Ctrl-C" "$TMP/demo.log"; then
    seeded=yes; break
  fi
  sleep 0.1
done
[[ -n "$seeded" ]] || fail "demo did not seed within 30 s: $(cat "$TMP/demo.log")"
DEMO_LOG="$(cat "$TMP/demo.log")"
contains "$DEMO_LOG" "export MLFLOW_TRACKING_URI=$DEMO_URL" "demo banner"
contains "$DEMO_LOG" "/api/2.0/mlflow/experiments/search" "demo banner curl"
DEMO_RUN="$(sed -nE 's/.* runs show ([0-9a-f]+) --server .*/\1/p' "$TMP/demo.log")"
[[ -n "$DEMO_RUN" ]] || fail "demo banner has no runs show example: $DEMO_LOG"
run_cli 0 runs show "$DEMO_RUN" --server "$DEMO_URL"
contains "$OUT" "p3.2xlarge" "demo run show"
run_cli 0 runs list --server "$DEMO_URL" --json --experiment demo-image-classifier
echo "$OUT" | $PY -c 'import json,sys; d=json.load(sys.stdin); assert len(d["runs"]) == 3, d'
DEMO_PORT="${DEMO_URL##*:}"
run_cli 1 demo --data-dir "$TMP/demo2" --port "$DEMO_PORT"
contains "$ERR" "cannot listen" "demo on a taken port"
stop_server "$DEMO_PID"

step "demo again on the same data dir does not seed twice"
"$MLCOST" demo --data-dir "$DEMO" --port 0 >"$TMP/demo2.log" 2>&1 &
DEMO_PID=$!
PIDS+=("$DEMO_PID")
wait_for_url "$TMP/demo2.log" "$DEMO_PID" >/dev/null
for _ in $(seq 300); do grep -q "Press Ctrl-C" "$TMP/demo2.log" && break; sleep 0.1; done
contains "$(cat "$TMP/demo2.log")" "not seeding again" "second demo"
stop_server "$DEMO_PID"

step "ingest: bills through --data-dir, the report, a refused bill, mapping"
BILLS="$(cd "$(dirname "$0")/../.." && pwd)/shared/data/billing"
mkdir -p "$TMP/bills-dir"
run_cli 0 ingest --data-dir "$TMP/bills-dir" "$BILLS/native/oci" --json
echo "$OUT" | $PY -c 'import json,sys; d=json.load(sys.stdin); f=d["files"]; assert len(f) == 2 and all(x["provider"] == "oci" for x in f), d'
run_cli 0 ingest --data-dir "$TMP/bills-dir" "$BILLS/native/oci/koku_oci_cost_report_2022-04-21.csv"
contains "$OUT" "koku_oci_cost_report_2022-04-21.csv" "ingest table"
contains "$OUT" "line(s) of earlier ingests restated" "ingest summary"
printf 'name,age\nann,3\n' > "$TMP/people.csv"
run_cli 1 ingest --data-dir "$TMP/bills-dir" "$TMP/people.csv"
contains "$ERR" "not a billing export of a known format" "ingest of a non-bill"
run_cli 2 ingest --data-dir "$TMP/bills-dir" --provider nonsense "$TMP/people.csv"
run_cli 0 mapping gcp
contains "$OUT" "| billed_cost | \`{\$cost}\` |" "mapping table"

echo "PASS: cli_test.sh"
