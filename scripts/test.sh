#!/usr/bin/env bash
# Every test tier, cheapest first, stopping at the first that fails:
#   gates    cargo fmt --check; cargo clippy --all-targets -D warnings natively and for wasm32
#            (clippy shares the build cache with the tiers after it)
#   native   cargo test (engine, SQL, golden tests against Flink via the `sluice` binary)
#   kinesis  sluice run and sluice proxy against a Kinesis API server (moto on 127.0.0.1):
#            tests/kinesis_moto.rs, tests/kinesis_proxy.rs
#   kafka    the Kafka wire client, sluice run and sluice proxy against a Kafka-protocol broker
#            (tansu on 127.0.0.1, in memory; one restarted for real keeps its records in moto's S3):
#            tests/kafka_*.rs
#   flink    notes exported by `sluice export` (a SQL script; a PyFlink program with a Python UDF)
#            run on real Apache Flink 2.3 with Sluice's rows
#   wasm     the engine compiled to wasm32, tested in headless Chromium (tests/wasm_engine.rs)
#   build    trunk build --release into dist/ (the page exactly as served: the page module and the
#            worker module, both built for size), checking the page module links no
#            sqlparser and no function table, and printing both modules' sizes
#   e2e      dist/ served on loopback, the studio driven in Chromium area by area (tests/e2e/run.mjs,
#            tests/e2e/areas/*.mjs over tests/e2e/harness.mjs), then hostile input with long
#            tasks measured (tests/e2e/hostile.mjs)
#   e2e-kinesis  the page against moto, through `sluice proxy --serve dist` and direct
#            (tests/e2e/kinesis.mjs)
#   e2e-kafka  the page against tansu through `sluice proxy --serve dist --kafka`: the
#            walkthrough's HOP INSERT between real topics, beside `sluice run` on the same topic
#            (tests/e2e/kafka.mjs)
# Installs what is missing first (scripts/setup.sh). Exits non-zero if any tier fails.
# `scripts/test.sh build e2e-kinesis e2e-kafka` runs only those tiers (in the order above).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
. scripts/env.sh

bold() { printf '\033[1m%s\033[0m\n' "$*"; }
TIMES=()
SERVER_PID=
MOTO_PID=
KINESALITE_PID=
TANSU_PID=
PROXY_PID=
# The Python with moto and boto3 that scripts/setup.sh installs.
KINESIS_VENV=${SLUICE_KINESIS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/sluice/kinesis-venv}
# The broker and the kafka-python that scripts/setup.sh installs.
TANSU=${SLUICE_TANSU_ROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/sluice/tansu-0.6.0}/bin/tansu
KAFKA_VENV=${SLUICE_KAFKA_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/sluice/kafka-venv}

cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  [ -n "${SERVER_LOG:-}" ] && rm -f "$SERVER_LOG"
  stop_proxy
  stop_moto
  stop_kinesalite
  stop_tansu
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

summary() {
  local t
  for t in "${TIMES[@]}"; do echo "  $t"; done
}

# `scripts/test.sh TIER…` runs only the tiers named (setup always runs); no argument runs all.
ONLY=("$@")

# tier NAME COMMAND...: runs one tier, records its wall time, stops everything if it fails.
tier() {
  local name=$1
  shift
  if [ "${#ONLY[@]}" -gt 0 ] && [ "$name" != setup ] && [[ " ${ONLY[*]} " != *" $name "* ]]; then
    return 0
  fi
  bold "==> $name: $*"
  local start=$SECONDS rc=0
  # In a subshell with errexit of its own: called as `"$@" || rc=$?`, bash ignores -e inside
  # the function, and a tier whose last command passed passed whatever failed before it (a
  # failed `cargo fmt --check`, a trunk build that ran out of disk). The subshell stops what it
  # started (servers, the proxy) when it ends, passed or not.
  set +e
  (
    set -e
    trap cleanup EXIT
    "$@"
  )
  rc=$?
  set -e
  local took=$((SECONDS - start))
  if [ "$rc" -ne 0 ]; then
    TIMES+=("$name: FAILED after ${took}s (exit $rc)")
    bold "==> $name FAILED (exit $rc) after ${took}s; later tiers not run"
    summary
    exit "$rc"
  fi
  TIMES+=("$name: ${took}s")
  bold "==> $name passed in ${took}s"
}

# The hygiene gates: formatting as rustfmt.toml says, and no clippy warning on either target
# (the wasm32 build has code the native one does not: src/ui/, the wasm tests).
gates() {
  cargo fmt --check
  cargo clippy --all-targets -- -D warnings
  cargo clippy --target wasm32-unknown-unknown --all-targets -- -D warnings
}

wasm_tests() {
  CHROMEDRIVER=/usr/bin/chromedriver \
    WASM_BINDGEN_TEST_WEBDRIVER_JSON="$REPO/tests/wasm/webdriver.json" \
    cargo test --no-fail-fast --target wasm32-unknown-unknown --tests
}

stop_moto() {
  if [ -n "$MOTO_PID" ] && kill -0 "$MOTO_PID" 2>/dev/null; then
    kill "$MOTO_PID" 2>/dev/null || true
    wait "$MOTO_PID" 2>/dev/null || true
  fi
  MOTO_PID=
  [ -n "${MOTO_LOG:-}" ] && rm -f "$MOTO_LOG"
  MOTO_LOG=
}

# moto on a free loopback port; sets MOTO_URL.
start_moto() {
  local port
  port=$("$KINESIS_VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  MOTO_LOG=$(mktemp)
  "$KINESIS_VENV/bin/moto_server" -H 127.0.0.1 -p "$port" >"$MOTO_LOG" 2>&1 &
  MOTO_PID=$!
  local i
  for i in $(seq 1 100); do
    if "$KINESIS_VENV/bin/python" -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2)' "$port" 2>/dev/null; then
      MOTO_URL="http://127.0.0.1:$port"
      echo "moto listening on $MOTO_URL"
      return 0
    fi
    kill -0 "$MOTO_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "kinesis: moto did not start:" >&2
  cat "$MOTO_LOG" >&2
  stop_moto
  return 1
}

stop_kinesalite() {
  if [ -n "$KINESALITE_PID" ] && kill -0 "$KINESALITE_PID" 2>/dev/null; then
    kill "$KINESALITE_PID" 2>/dev/null || true
    wait "$KINESALITE_PID" 2>/dev/null || true
  fi
  KINESALITE_PID=
  [ -n "${KINESALITE_LOG:-}" ] && rm -f "$KINESALITE_LOG"
  KINESALITE_LOG=
}

# kinesalite (npm; it reshards as Kinesis does) on a free loopback port; sets KINESALITE_URL.
start_kinesalite() {
  KINESALITE_LOG=$(mktemp)
  node tests/e2e/kinesalite.mjs 0 >"$KINESALITE_LOG" 2>&1 &
  KINESALITE_PID=$!
  local i
  for i in $(seq 1 100); do
    KINESALITE_URL=$(sed -n 's/^listening on \(http:.*\)$/\1/p' "$KINESALITE_LOG")
    if [ -n "$KINESALITE_URL" ]; then
      echo "kinesalite listening on $KINESALITE_URL"
      return 0
    fi
    kill -0 "$KINESALITE_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "kinesis: kinesalite did not start:" >&2
  cat "$KINESALITE_LOG" >&2
  stop_kinesalite
  return 1
}

# moto for tests/kinesis_moto.rs and tests/kinesis_proxy.rs, kinesalite for
# tests/kinesis_reshard.rs.
kinesis_tests() {
  start_moto || return 1
  start_kinesalite || { stop_moto; return 1; }
  local rc=0
  SLUICE_KINESIS_ENDPOINT="$MOTO_URL" SLUICE_KINESALITE_ENDPOINT="$KINESALITE_URL" SLUICE_KINESIS_PYTHON="$KINESIS_VENV/bin/python" \
    cargo test --test kinesis_moto --test kinesis_proxy --test kinesis_reshard -- --ignored --test-threads 1 || rc=$?
  stop_moto
  stop_kinesalite
  return "$rc"
}

stop_tansu() {
  if [ -n "$TANSU_PID" ] && kill -0 "$TANSU_PID" 2>/dev/null; then
    kill "$TANSU_PID" 2>/dev/null || true
    wait "$TANSU_PID" 2>/dev/null || true
  fi
  TANSU_PID=
  [ -n "${TANSU_LOG:-}" ] && rm -f "$TANSU_LOG"
  TANSU_LOG=
}

# tansu on a free loopback port, records in memory; sets KAFKA_BOOTSTRAP.
start_tansu() {
  local port i
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  TANSU_LOG=$(mktemp)
  "$TANSU" broker --listener-url "tcp://127.0.0.1:$port" --advertised-listener-url "tcp://127.0.0.1:$port" \
    --storage-engine memory://tansu/ >"$TANSU_LOG" 2>&1 &
  TANSU_PID=$!
  for i in $(seq 1 100); do
    if python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2)' "$port" 2>/dev/null; then
      KAFKA_BOOTSTRAP="127.0.0.1:$port"
      echo "tansu listening on $KAFKA_BOOTSTRAP"
      return 0
    fi
    kill -0 "$TANSU_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "kafka: tansu did not start:" >&2
  cat "$TANSU_LOG" >&2
  stop_tansu
  return 1
}

# The broker for tests/kafka_*.rs (a test that restarts a broker starts its own from $TANSU; the
# one whose broker process restarts keeps its records in moto's S3, which outlives the process).
kafka_tests() {
  start_tansu || return 1
  start_moto || { stop_tansu; return 1; }
  local rc=0 tests=() f
  for f in tests/kafka_*.rs; do tests+=(--test "$(basename "$f" .rs)"); done
  SLUICE_KAFKA_BOOTSTRAP="$KAFKA_BOOTSTRAP" SLUICE_KAFKA_PYTHON="$KAFKA_VENV/bin/python" SLUICE_TANSU="$TANSU" \
    SLUICE_KAFKA_S3="$MOTO_URL" cargo test "${tests[@]}" -- --ignored --test-threads 1 || rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "kafka: tansu's log:" >&2
    tail -n 40 "$TANSU_LOG" >&2
  fi
  stop_moto
  stop_tansu
  return "$rc"
}

stop_proxy() {
  if [ -n "$PROXY_PID" ] && kill -0 "$PROXY_PID" 2>/dev/null; then
    kill "$PROXY_PID" 2>/dev/null || true
    wait "$PROXY_PID" 2>/dev/null || true
  fi
  PROXY_PID=
  [ -n "${PROXY_LOG:-}" ] && rm -f "$PROXY_LOG"
  PROXY_LOG=
}

# Starts `sluice proxy` (the command line after the tier's NAME, logging to $PROXY_LOG) and waits
# until it listens; sets PROXY_URL, or says why it did not start (as NAME) and returns 1.
start_proxy() {
  local name=$1 i
  shift
  PROXY_LOG=$(mktemp)
  "$@" >"$PROXY_LOG" 2>&1 &
  PROXY_PID=$!
  PROXY_URL=
  for i in $(seq 1 100); do
    PROXY_URL=$(sed -n 's/^sluice proxy: listening on \(http:.*\)$/\1/p' "$PROXY_LOG")
    [ -n "$PROXY_URL" ] && return 0
    kill -0 "$PROXY_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "$name: sluice proxy did not start:" >&2
  cat "$PROXY_LOG" >&2
  stop_proxy
  return 1
}

# The page against moto: served by `sluice proxy --serve dist` in proxy mode, and signing itself
# in direct mode (tests/e2e/kinesis.mjs).
e2e_kinesis() {
  local sluice="${CARGO_TARGET_DIR:-$REPO/target}/debug/sluice"
  cargo build --bin sluice || return 1
  start_moto || return 1
  start_proxy e2e-kinesis env AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing \
    "$sluice" proxy --port 0 --endpoint "$MOTO_URL" --serve "$REPO/dist" || { stop_moto; return 1; }
  local url=$PROXY_URL
  echo "sluice proxy at $url serving dist/, forwarding to $MOTO_URL"
  local rc=0
  node tests/e2e/kinesis.mjs "$url" "$MOTO_URL" "$KINESIS_VENV/bin/python" "$sluice" || rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "e2e-kinesis: the proxy's log:" >&2
    tail -n 40 "$PROXY_LOG" >&2
  fi
  stop_proxy
  stop_moto
  return "$rc"
}

# The page against tansu: served by `sluice proxy --serve dist --kafka`, which answers its Kafka
# requests (tests/e2e/kafka.mjs).
e2e_kafka() {
  local sluice="${CARGO_TARGET_DIR:-$REPO/target}/debug/sluice"
  cargo build --bin sluice || return 1
  start_tansu || return 1
  start_proxy e2e-kafka "$sluice" proxy --port 0 --kafka "$KAFKA_BOOTSTRAP" --serve "$REPO/dist" || { stop_tansu; return 1; }
  local url=$PROXY_URL
  echo "sluice proxy at $url serving dist/, Kafka at $KAFKA_BOOTSTRAP"
  local rc=0
  node tests/e2e/kafka.mjs "$url" "$KAFKA_BOOTSTRAP" "$KAFKA_VENV/bin/python" "$sluice" "$PROXY_LOG" || rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "e2e-kafka: the proxy's log:" >&2
    grep -v ' -> 200 ' "$PROXY_LOG" | tail -n 40 >&2
    echo "e2e-kafka: tansu's log:" >&2
    tail -n 40 "$TANSU_LOG" >&2
  fi
  stop_proxy
  stop_tansu
  return "$rc"
}

# The page exactly as served. Its module must not link the engine (issue 17: the worker module,
# `sluice-worker`, holds it): the page's wasm before wasm-opt still has its function names, and
# none may be sqlparser's.
build() {
  trunk build --release
  local page="${CARGO_TARGET_DIR:-$REPO/target}/wasm-bindgen/release/sluice_bg.wasm"
  if grep -q sqlparser "$page"; then
    echo "build: the page's module ($page) links sqlparser: something the page calls reaches the parser, or a #[wasm_bindgen] export of the library roots the engine" >&2
    return 1
  fi
  # The built-in function table (its help text: LPAD's example is one line of it) belongs to the
  # worker module; the editor's completion asks the session for function names (issue 17).
  if grep -qF "LPAD('hi', 4, '??')" "$page"; then
    echo "build: the page's module ($page) links the function table (src/plan/functions): something the page calls reaches plan::functions; ask the session instead (SessionRequest::Functions)" >&2
    return 1
  fi
  # sqlparser's Parser::parse_statement reads every statement of every dialect; Sluice picks the
  # few it runs by their first word (src/sql/parser.rs), which keeps the rest out of the worker
  # module (issue 17: ~110 KB gzip). A message of sqlparser's CREATE COLLATION parser marks them.
  local worker="${CARGO_TARGET_DIR:-$REPO/target}/wasm-bindgen/release/sluice-worker_bg.wasm"
  if grep -qF "after CREATE COLLATION name" "$worker"; then
    echo "build: the worker module ($worker) links sqlparser's parser of every statement: something calls Parser::parse_statement (or parse_create); dispatch on the first word instead (src/sql/parser.rs)" >&2
    return 1
  fi
  local wasm
  for wasm in dist/*_bg.wasm; do
    echo "build: $wasm $(wc -c <"$wasm") bytes, $(gzip -9 <"$wasm" | wc -c) gzip -9"
  done
}

e2e() {
  SERVER_LOG=$(mktemp)
  node tests/e2e/serve.mjs "$REPO/dist" 0 >"$SERVER_LOG" 2>&1 &
  SERVER_PID=$!
  local url= i
  for i in $(seq 1 100); do
    url=$(sed -n 's/^listening on \(http:.*\)$/\1/p' "$SERVER_LOG")
    [ -n "$url" ] && break
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then break; fi
    sleep 0.1
  done
  if [ -z "$url" ]; then
    echo "e2e: the static server did not start:" >&2
    cat "$SERVER_LOG" >&2
    return 1
  fi
  echo "serving dist/ at $url"
  local rc=0
  node tests/e2e/run.mjs "$url" || rc=$?
  # Hostile input: no crash, no long task over 200 ms (a fresh page of its own).
  node tests/e2e/hostile.mjs "$url" || rc=$?
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
  if [ "$rc" -ne 0 ]; then
    echo "e2e: screenshots of each step are in tests/e2e/screenshots/" >&2
  fi
  return "$rc"
}

tier setup run_setup
tier gates gates
tier native cargo test --no-fail-fast
tier kinesis kinesis_tests
tier kafka kafka_tests
flink_exports() {
  "$FLINK_VENV/bin/python" tests/flink_export/check.py "$REPO/target/debug/sluice" &&
    "$FLINK_VENV/bin/python" tests/flink_export/check_python.py "$REPO/target/debug/sluice"
}

tier flink flink_exports
tier wasm wasm_tests
tier build build
tier e2e e2e
tier e2e-kinesis e2e_kinesis
tier e2e-kafka e2e_kafka

if [ "${#ONLY[@]}" -gt 0 ]; then
  bold "==> tiers ${ONLY[*]} passed"
else
  bold "==> all tiers passed"
fi
summary
