#!/usr/bin/env bash
# Serves Sluice at http://127.0.0.1:$PORT/ (default 8080): installs what is missing first, then
# `trunk serve --release`, which rebuilds and reloads the page when sources change.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
. scripts/env.sh

PORT=${PORT:-8080}
run_setup app
echo "serve: http://127.0.0.1:$PORT/ (first release build takes a minute or two)"
exec trunk serve --release --address 127.0.0.1 --port "$PORT"
