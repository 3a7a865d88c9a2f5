#!/usr/bin/env bash
# Builds the page (build-wasm/page/) and runs its headless-Chromium tests (tests/web/) and the
# web benchmarks (bench/web/). Called by scripts/test.sh after the native build (build/vramcalc).
#   scripts/web-test.sh          setup (web) + build + tests + bench
#   scripts/web-test.sh build    setup (web) + build only (scripts/start.sh uses this)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bash scripts/setup.sh web
# shellcheck disable=SC1091
. .cache/web.env
export NODE_PATH=/usr/share/nodejs    # toolchain.md gotcha 1 (acorn for emcc -Oz)
jobs=$(nproc); [ "$jobs" -gt 2 ] && jobs=2

echo "== web build (build-wasm/page) =="
if [ ! -f build-wasm/build.ninja ] || ! grep -q "IMGUI_DIR:PATH=$IMGUI_DIR\$" build-wasm/CMakeCache.txt 2>/dev/null; then
  emcmake cmake -S . -B build-wasm -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node -DVRAMCALC_TESTS=OFF \
    -DIMGUI_DIR="$IMGUI_DIR" -DSDL2_PREFIX="$SDL2_PREFIX" -DVRAMCALC_WASM_INCLUDE="$VRAMCALC_WASM_INCLUDE" >/dev/null
fi
timeout 900 cmake --build build-wasm -j"$jobs" --target vramcalc_web
ls -l build-wasm/page | sed 1d
[ "${1:-}" = build ] && exit 0

echo "== browser tests (headless /usr/bin/chromium) =="
cli=${VRAMCALC_CLI:-$root/build/vramcalc}
[ -x "$cli" ] || { echo "web-test.sh: $cli not built (run scripts/test.sh, or set VRAMCALC_CLI)" >&2; exit 1; }
VRAMCALC_CLI=$cli timeout 600 node --test --test-concurrency=1 --test-timeout=240000 tests/web/

echo "== web benchmarks =="
timeout 300 node bench/web/bench.mjs
