#!/usr/bin/env bash
# Installs whatever Sluice's build and tests need and is missing; does nothing twice.
# Works on a fresh Debian machine that has only rustup's toolchain (see README).
# `setup.sh app` installs only what building and serving the page needs (scripts/serve.sh);
# without it, everything the test tiers need too.
set -euo pipefail
cd "$(dirname "$0")/.."
FOR=${1:-tests}
case "$FOR" in app | tests) ;; *) echo "usage: scripts/setup.sh [app|tests]" >&2; exit 2 ;; esac

TRUNK_VERSION=0.21.14
# Must equal the `wasm-bindgen` pinned in Cargo.toml (and so in Cargo.lock).
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' Cargo.toml)

say() { printf '\033[1;34msetup:\033[0m %s\n' "$*"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (several minutes, once)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
  # Not --locked: one of its pinned dependencies is no longer on crates.io.
  cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" --force
fi

if [ "$FOR" = tests ] && { [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; }; then
  say "installing Debian's chromium and chromium-driver"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver
fi

# Node tools: playwright-core drives the browser, binaryen supplies the wasm-opt Trunk uses,
# kinesalite is the Kinesis API server that reshards (the kinesis tier), duckdb-wasm the file
# bench's peer in the page (scripts/bench.sh).
if [ ! -x tests/e2e/node_modules/.bin/wasm-opt ] || [ ! -d tests/e2e/node_modules/playwright-core ] || [ ! -d tests/e2e/node_modules/kinesalite ] \
   || [ ! -d tests/e2e/node_modules/@duckdb/duckdb-wasm ] \
   || [ tests/e2e/package-lock.json -nt tests/e2e/node_modules/.package-lock.json ]; then
  say "installing node tools (playwright-core, binaryen, kinesalite, duckdb-wasm)"
  (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
fi

# Pyodide for the page's Python paragraphs (npm's package: core and standard library, nothing
# from its CDN); Trunk copies its files into dist/pyodide/.
if [ ! -f python/node_modules/pyodide/pyodide.asm.wasm ] || [ python/package-lock.json -nt python/node_modules/.package-lock.json ]; then
  say "installing Pyodide (npm, about 14 MB)"
  (cd python && npm ci --no-audit --no-fund --loglevel=error)
fi

# The page needs nothing more; the rest is for the test tiers.
[ "$FOR" = app ] && exit 0

# Apache Flink 2.3 (PyFlink, ~850 MB with its Java jars) for the export tier: a note exported by
# Sluice must run unchanged on real Flink. Kept outside the repo so clean clones share it.
FLINK_VENV=${SLUICE_FLINK_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/sluice/flink-2.3.0}
if ! "$FLINK_VENV/bin/python" -c "import pyflink" 2>/dev/null; then
  say "installing Apache Flink 2.3.0 from PyPI into $FLINK_VENV (about a minute, once)"
  rm -rf "$FLINK_VENV"
  python3 -m venv "$FLINK_VENV"
  "$FLINK_VENV/bin/pip" install -q --disable-pip-version-check apache-flink==2.3.0
fi

# moto (a Kinesis API server) and boto3 for the kinesis tier: the tests write and read streams
# with boto3 as the walkthrough's sender does. Kept outside the repo, like Flink.
KINESIS_VENV=${SLUICE_KINESIS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/sluice/kinesis-venv}
if ! "$KINESIS_VENV/bin/python" -c "import boto3, moto.server" 2>/dev/null || [ ! -x "$KINESIS_VENV/bin/moto_server" ]; then
  say "installing moto[server] and boto3 from PyPI into $KINESIS_VENV (once)"
  rm -rf "$KINESIS_VENV"
  python3 -m venv "$KINESIS_VENV"
  "$KINESIS_VENV/bin/pip" install -q --disable-pip-version-check "moto[server]==5.2.5" "boto3==1.44.8"
fi

# The kafka tier's broker: tansu, a Kafka-compatible broker written in Rust, from crates.io
# (~12 minutes cold on 2 cores, once; `dynostore` gives it in-memory storage), and kafka-python
# for the tests' producer and reader (the walkthrough's sender with a produce call).
TANSU_ROOT=${SLUICE_TANSU_ROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/sluice/tansu-0.6.0}
if [ ! -x "$TANSU_ROOT/bin/tansu" ]; then
  say "installing the tansu 0.6.0 Kafka broker into $TANSU_ROOT (about 12 minutes, once)"
  cargo install tansu --version 0.6.0 --locked --features dynostore --root "$TANSU_ROOT"
fi
KAFKA_VENV=${SLUICE_KAFKA_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/sluice/kafka-venv}
if ! "$KAFKA_VENV/bin/python" -c "import kafka" 2>/dev/null; then
  say "installing kafka-python from PyPI into $KAFKA_VENV (once)"
  rm -rf "$KAFKA_VENV"
  python3 -m venv "$KAFKA_VENV"
  "$KAFKA_VENV/bin/pip" install -q --disable-pip-version-check "kafka-python==3.0.12"
fi
