#!/usr/bin/env bash
# The first command of the README: install, build, run the demo on its embedded default
# (the test pattern camera; no server needed). Writes build/gcc/switchboard-demo.mkv.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh gcc
cd build/gcc
./bin/switchboard run ../../configs/demo.json
echo "recorded: $(pwd)/switchboard-demo.mkv"
