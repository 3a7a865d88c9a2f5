#!/usr/bin/env bash
# The README's first command: installs what is missing (scripts/setup.sh), builds the page
# (build-wasm/page/) and serves it on http://127.0.0.1:8080/ (python3's http.server, bound to
# 127.0.0.1 only). Ctrl-C stops it. PORT=8081 scripts/start.sh for another port.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${PORT:-8080}
bash scripts/web-test.sh build
echo
echo "vramcalc is served on http://127.0.0.1:$port/   (Ctrl-C to stop)"
echo "  offline copy: build-wasm/page/vramcalc.html (one file; open it from disk, no server needed)"
exec python3 -m http.server "$port" --bind 127.0.0.1 --directory build-wasm/page
