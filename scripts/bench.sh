#!/usr/bin/env bash
# Prints Sluice's benchmark figures (they check nothing; see issue 3's targets):
#   engine   Q1 over N decoded records, natively              (target >= 20 M records/s)
#   decoder  the JSON decoder on the same records as lines
#   fuzz     each parser of outside input over generated hostile inputs, 3 s each: executions/s
#            and crashes found (must be 0)
#   run      `sluice run` over the records as an N-line JSONL file, on one thread and on every core
#            (issue 17's targets: <= 0.55 s on 2 cores, peak < 64 MiB); three independent queries
#            over the file with --jobs 1 and side by side on every core (same output, md5 checked)
#   peers    the same query over the same file, same rows checked, wall time and peak memory:
#            DuckDB (PyPI, a venv made here) on 1 thread and on all, Apache Flink 2.3 (PyFlink)
#   wasm     Q1 over N decoded records in headless Chromium      (target >= 10 M records/s); the JSON
#            decoder; the page path, generator → JSON → decoder → Q1 (target >= 1 M records/s)
#   page     first render (target < 1 s) and frame times at 50,000 records/s (target p95 < 16 ms)
#   wasm-file Q1 over a 50 MB JSON-lines file handed to the page, and DuckDB-WASM (npm) in the same
#            page over the same file, rows checked (target: faster than DuckDB-WASM); the page's
#            frame times and long tasks while a 100 MB file is read and queried (target: none > 50 ms)
#   proxy    PutRecords of 500 records by boto3 to moto, straight and through `sluice proxy`
# N defaults to 5,000,000 (`N=1000000 scripts/bench.sh` for a quick look); `ONLY=run` prints the
# run and peers lines alone.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
. scripts/env.sh
run_setup >/dev/null

N=${N:-5000000}
cargo build --quiet --profile native
BIN=target/native/sluice
if [ "${ONLY:-}" != run ]; then
  "$BIN" bench "$N"
  "$BIN" bench --fuzz 3
fi

DATA=$(mktemp -d)
trap 'rm -rf "$DATA"' EXIT
"$BIN" gen "$N" "$DATA/input.jsonl"
cat >"$DATA/q1.sql" <<SQL
CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6),
    event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
  WITH ('connector' = 'filesystem', 'path' = '$DATA/input.jsonl', 'format' = 'json',
        'json.timestamp-format.standard' = 'ISO-8601');
SELECT sensor_data.status, COUNT(*) AS num, AVG(sensor_data.current_temperature) AS avg_current_temperature,
       HOP_ROWTIME(event_time, INTERVAL '10' second, INTERVAL '1' minute) as hop_time
  FROM sensor_data
 GROUP BY HOP(event_time, INTERVAL '10' second, INTERVAL '1' minute), sensor_data.status;
SQL
MB=$(du -m "$DATA/input.jsonl" | cut -f1)
CORES=$(nproc)
# Three timed runs of `sluice run ARGS…`, its changes to OUT: wall, CPU and peak memory.
runs() { # label, output file, then run's arguments
  local label=$1 out=$2 run
  shift 2
  for run in 1 2 3; do
    /usr/bin/time -f "run      $label: %e s wall, %U+%S s CPU, %M KB peak (run $run)" \
      "$BIN" run "$@" >"$out" 2>"$DATA/err.txt" || { cat "$DATA/err.txt"; exit 1; }
    tail -1 "$DATA/err.txt"
  done
}
for threads in 1 "$CORES"; do
  runs "sluice run --threads $threads, Q1 over a $N-line JSONL file ($MB MB)" "$DATA/out.jsonl" --threads "$threads" "$DATA/q1.sql"
done
echo "         ($(wc -l <"$DATA/out.jsonl") result rows)"
# Three independent queries over the same file (Q1, a TUMBLE count, a filter count): one after the
# other (--jobs 1), then side by side on every core sharing the decoding threads; same output.
cp "$DATA/q1.sql" "$DATA/three.sql"
cat >>"$DATA/three.sql" <<SQL
SELECT window_start, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
 GROUP BY window_start, window_end;
SELECT window_start, COUNT(*) AS hot FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
 WHERE current_temperature > 100 GROUP BY window_start, window_end;
SQL
for jobs in 1 "$CORES"; do
  runs "sluice run --jobs $jobs, 3 independent queries over the same $N-line file" "$DATA/three-$jobs.jsonl" --jobs "$jobs" "$DATA/three.sql"
done
if [ "$(md5sum <"$DATA/three-1.jsonl")" = "$(md5sum <"$DATA/three-$CORES.jsonl")" ]; then
  echo "         ($(wc -l <"$DATA/three-1.jsonl") lines, the same md5 both ways)"
else
  echo "run      --jobs 1 and --jobs $CORES printed different output" >&2
  exit 1
fi

# Peers, same query and file in the same run; each one's rows are checked against Sluice's.
DUCKDB_VENV=${SLUICE_DUCKDB_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/sluice/duckdb-venv}
if ! "$DUCKDB_VENV/bin/python" -c "import duckdb" 2>/dev/null; then
  python3 -m venv "$DUCKDB_VENV"
  "$DUCKDB_VENV/bin/pip" install -q --disable-pip-version-check duckdb==2.0.0
fi
peer() { # label, then the command
  local label=$1
  shift
  /usr/bin/time -f "peers    $label, Q1 over the same file: %e s wall, %U+%S s CPU, %M KB peak" "$@" >"$DATA/peer.txt" 2>"$DATA/err.txt" \
    || { cat "$DATA/peer.txt" "$DATA/err.txt"; return 0; }
  tail -1 "$DATA/err.txt"
  echo "         ($(cat "$DATA/peer.txt"); $(python3 scripts/bench_peers.py compare "$DATA/out.jsonl" "$DATA/peer.jsonl") as sluice)"
}
DUCKDB_VERSION=$("$DUCKDB_VENV/bin/python" -c 'import duckdb; print(duckdb.__version__)')
for threads in 1 "$CORES"; do
  for run in 1 2; do
    peer "duckdb $DUCKDB_VERSION, Flink's late drops spelled out, $threads thread(s) (run $run)" \
      "$DUCKDB_VENV/bin/python" scripts/bench_peers.py duckdb "$DATA/input.jsonl" "$threads" "$DATA/peer.jsonl"
    peer "duckdb $DUCKDB_VERSION, windows only (late rows kept), $threads thread(s) (run $run)" \
      "$DUCKDB_VENV/bin/python" scripts/bench_peers.py duckdb-windows "$DATA/input.jsonl" "$threads" "$DATA/peer.jsonl"
  done
done
peer "Apache Flink 2.3 (PyFlink, parallelism 1; the Python process only)" \
  "$FLINK_VENV/bin/python" scripts/bench_peers.py flink "$DATA/input.jsonl" "$DATA/peer.jsonl"
[ "${ONLY:-}" = run ] && exit 0

SLUICE_BENCH_RECORDS=$N CHROMEDRIVER=/usr/bin/chromedriver \
  WASM_BINDGEN_TEST_WEBDRIVER_JSON="$REPO/tests/wasm/webdriver.json" \
  cargo test --release --target wasm32-unknown-unknown --features bench --test wasm_engine_bench -- --nocapture 2>&1 \
  | grep -E "wasm engine|wasm decoder|wasm codec|wasm page path|error|panicked" || true

# The page: time to first render, and frame times at 50,000 records/s with a live table and a
# live bar chart (target p95 < 16 ms), in headless Chromium against the release build.
trunk build --release >/dev/null 2>&1
SERVER_LOG=$(mktemp)
node tests/e2e/serve.mjs "$REPO/dist" 0 "/node_modules/=$REPO/tests/e2e/node_modules" >"$SERVER_LOG" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$DATA" "$SERVER_LOG"' EXIT
for _ in $(seq 1 50); do grep -q '^listening on' "$SERVER_LOG" && break; sleep 0.1; done
node tests/e2e/bench.mjs "$(sed -n 's/^listening on \(http:.*\)$/\1/p' "$SERVER_LOG")" 50000
# Files in the page: Q1 over a 50 MB file against DuckDB-WASM in the same page; frames and long
# tasks while a 100 MB file is read and queried (the engine in its worker).
"$BIN" gen 500000 "$DATA/sensors-50mb.jsonl"
"$BIN" gen 1000000 "$DATA/sensors-100mb.jsonl"
node tests/e2e/file_bench.mjs "$(sed -n 's/^listening on \(http:.*\)$/\1/p' "$SERVER_LOG")" "$DATA/sensors-50mb.jsonl" "$DATA/sensors-100mb.jsonl"
rm -f "$DATA/sensors-50mb.jsonl" "$DATA/sensors-100mb.jsonl"
# Python in the page: records/s through a trivial Python UDF (and without it), Pyodide's start.
node tests/e2e/python_bench.mjs "$(sed -n 's/^listening on \(http:.*\)$/\1/p' "$SERVER_LOG")" 200000

# PutRecords through `sluice proxy`: the walkthrough's records sent by boto3 in calls of 500, to
# moto straight and through the proxy (which reads, checks, signs and forwards each call).
KINESIS_VENV=${SLUICE_KINESIS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/sluice/kinesis-venv}
PY="$KINESIS_VENV/bin/python"
MOTO_PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$KINESIS_VENV/bin/moto_server" -H 127.0.0.1 -p "$MOTO_PORT" >/dev/null 2>&1 &
MOTO=$!
PROXY_LOG=$(mktemp)
AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench "$BIN" proxy --port 0 --endpoint "http://127.0.0.1:$MOTO_PORT" >"$PROXY_LOG" 2>&1 &
PROXY=$!
trap 'kill $SERVER $MOTO $PROXY 2>/dev/null; rm -rf "$DATA" "$SERVER_LOG" "$PROXY_LOG"' EXIT
for _ in $(seq 1 100); do grep -q 'listening on' "$PROXY_LOG" && "$PY" -c "import socket; socket.create_connection(('127.0.0.1', $MOTO_PORT), 0.2)" 2>/dev/null && break; sleep 0.1; done
PROXY_URL=$(sed -n 's/^sluice proxy: listening on \(http:.*\)$/\1/p' "$PROXY_LOG")
kinesis() { AWS_ENDPOINT_URL=$1 AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_DEFAULT_REGION=us-east-1 "$PY" tests/kinesis/kinesis_tool.py "${@:2}"; }
# A fresh stream for each run: moto's PutRecords slows down as a stream grows.
for run in 1 2 3; do
  kinesis "http://127.0.0.1:$MOTO_PORT" create "straight-$run" 4
  printf 'proxy    straight to moto:       '
  kinesis "http://127.0.0.1:$MOTO_PORT" put "straight-$run" tests/data/sensor_input.jsonl --batch 500 2>&1
  kinesis "http://127.0.0.1:$MOTO_PORT" create "proxied-$run" 4
  printf 'proxy    through sluice proxy:   '
  kinesis "$PROXY_URL" put "proxied-$run" tests/data/sensor_input.jsonl --batch 500 2>&1
done
