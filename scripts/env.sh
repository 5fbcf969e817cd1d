# Sourced by serve.sh and test.sh: the tool paths and settings every build step shares.
# REPO must be set by the caller.

# cargo-installed tools (trunk, wasm-bindgen, wasm-bindgen-test-runner), then the npm ones:
# Trunk must find binaryen 132's wasm-opt from tests/e2e/node_modules, not Debian's old one.
export PATH="$REPO/tests/e2e/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
# Trunk otherwise asks GitHub for a newer version, which is unreachable here.
export TRUNK_SKIP_VERSION_CHECK=true

# Runs scripts/setup.sh, one copy at a time even when serve.sh and test.sh start together.
run_setup() {
  if command -v flock >/dev/null 2>&1; then
    flock "${TMPDIR:-/tmp}/sluice-setup.lock" "$REPO/scripts/setup.sh" "$@"
  else
    "$REPO/scripts/setup.sh" "$@"
  fi
}

# The Python with Apache Flink 2.3 that scripts/setup.sh installs (the export tier runs on it).
export FLINK_VENV=${SLUICE_FLINK_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/sluice/flink-2.3.0}
