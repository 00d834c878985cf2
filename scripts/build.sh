#!/usr/bin/env bash
# Configures and builds one flavour into build/<flavour>:
#   gcc   RelWithDebInfo, -Werror on our code: the program, plugins, every test, benchmarks
#   asan  clang-14 with AddressSanitizer + UndefinedBehaviorSanitizer: unit tests, fuzzers
#         (not the integration tests: test.sh runs only the unit tests there)
# usage: scripts/build.sh gcc|asan [extra cmake args...]
set -euo pipefail
cd "$(dirname "$0")/.."
flavour=${1:?usage: build.sh gcc|asan}
shift
case "$flavour" in
  gcc)
    args=(-DCMAKE_C_COMPILER=gcc -DCMAKE_CXX_COMPILER=g++ -DCMAKE_BUILD_TYPE=RelWithDebInfo
          -DSWITCHBOARD_WERROR=ON) ;;
  asan)
    args=(-DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo
          -DSWITCHBOARD_SANITIZE=ON -DSWITCHBOARD_FUZZ=ON -DSWITCHBOARD_BENCHMARKS=OFF
          -DSWITCHBOARD_INTEGRATION_TESTS=OFF) ;;
  *) echo "unknown flavour $flavour" >&2; exit 2 ;;
esac
mkdir -p build
cmake -S . -B "build/$flavour" -G Ninja "${args[@]}" "$@" > "build/$flavour.configure.log" 2>&1 ||
  { mkdir -p build; cat "build/$flavour.configure.log"; exit 1; }
cmake --build "build/$flavour"
