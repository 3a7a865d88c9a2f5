#!/usr/bin/env bash
# Runs every test: native build (warnings as errors) + Catch2 suite, then the web build and its
# headless-browser tests, then the benchmarks' printed figures. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
jobs=$(nproc)

bash scripts/setup.sh native

echo "== native build =="
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DVRAMCALC_WERROR=ON >/dev/null
cmake --build build -j"$jobs"
echo "== core and cli tests =="
(cd build && ctest --output-on-failure -j"$jobs")

if [ -f scripts/web-test.sh ]; then
  echo "== web build and browser tests =="
  bash scripts/web-test.sh
fi

echo "== benchmarks =="
./build/bench_speed
python3 bench/accuracy/run.py --cli ./build/vramcalc --summary
python3 tools/readme.py --cli ./build/vramcalc --check ||
  echo "note: README.md's examples differ from what the CLI prints now; regenerate with python3 tools/readme.py"
