#!/usr/bin/env bash
# Prints Sluice's benchmark figures (they check nothing; see issue 3's targets):
#   engine   Q1 over N decoded records, natively              (target >= 20 M records/s)
#   decoder  the JSON decoder on the same records as lines
#   run      `sluice run` over the records as an N-line JSONL file (target <= 1.5 s, <= 200 MB)
#   wasm     Q1 over N decoded records in headless Chromium      (target >= 10 M records/s)
# N defaults to 5,000,000 (`N=1000000 scripts/bench.sh` for a quick look).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
. scripts/env.sh
run_setup >/dev/null

N=${N:-5000000}
cargo build --quiet --profile native
BIN=target/native/sluice
"$BIN" bench "$N"

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
for run in 1 2 3; do
  /usr/bin/time -f "run      sluice run, Q1 over a $N-line JSONL file ($(du -m "$DATA/input.jsonl" | cut -f1) MB): %e s wall, %M KB peak (run $run)" \
    "$BIN" run "$DATA/q1.sql" >"$DATA/out.jsonl" 2>"$DATA/err.txt" || { cat "$DATA/err.txt"; exit 1; }
  tail -1 "$DATA/err.txt"
done
echo "         ($(wc -l <"$DATA/out.jsonl") result rows)"

SLUICE_BENCH_RECORDS=$N CHROMEDRIVER=/usr/bin/chromedriver \
  WASM_BINDGEN_TEST_WEBDRIVER_JSON="$REPO/tests/wasm/webdriver.json" \
  cargo test --release --target wasm32-unknown-unknown --features bench --test wasm_engine_bench -- --nocapture 2>&1 \
  | grep -E "wasm engine|error|panicked" || true
