#!/usr/bin/env bash
# The second command of the README, and what .ci/run calls: install, build with g++
# and with clang + ASan/UBSan, run every test, the fuzzers and the benchmarks' smoke
# run. Prints the time each stage took.
set -euo pipefail
cd "$(dirname "$0")/.."
export G_SLICE=always-malloc
export LSAN_OPTIONS="suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$PWD/tests/sanitizers/ubsan.supp"
export CTEST_OUTPUT_ON_FAILURE=1

declare -a stage_names stage_secs
stage() {
  local name=$1
  shift
  echo
  echo "=== $name"
  local start=$SECONDS
  "$@"
  stage_names+=("$name")
  stage_secs+=($((SECONDS - start)))
  echo "=== $name: $((SECONDS - start)) s"
}
summary() {
  echo
  echo "stage times:"
  for i in "${!stage_names[@]}"; do printf '  %-28s %5d s\n' "${stage_names[$i]}" "${stage_secs[$i]}"; done
  printf '  %-28s %5d s\n' total "$SECONDS"
}
trap summary EXIT

run_fuzzers() {
  # Every <name>_fuzz replays tests/fuzz/corpus/<name>/, then explores for 12 s.
  local fuzzer name scratch
  for fuzzer in build/asan/bin/*_fuzz; do
    name=$(basename "$fuzzer" _fuzz)
    scratch=$(mktemp -d)
    echo "--- $name"
    "$fuzzer" -max_total_time=12 -timeout=5 -rss_limit_mb=4096 "$scratch" "tests/fuzz/corpus/$name" 2>&1 | tail -n 2
    rm -rf "$scratch"
  done
}

check_format() {
  # The style is .clang-format's; a file that differs fails the run.
  git ls-files -z '*.cpp' '*.hpp' '*.h' | xargs -0 clang-format --dry-run --Werror
}

benchmark_smoke() {
  build/gcc/bin/frame_handoff_benchmark --benchmark_min_time=0.05
  build/gcc/bin/srtp_benchmark --benchmark_min_time=0.05
  build/gcc/bin/rtc_setup_benchmark --runs 3
  /usr/bin/python3 benchmarks/matrix_call_setup.py build/gcc --smoke
  /usr/bin/python3 benchmarks/latency/run.py build/gcc --smoke >/dev/null
  build/gcc/bin/hls_latency_benchmark --smoke --json /dev/null
  /usr/bin/python3 benchmarks/tv_latency.py build/gcc --smoke --modes webrtc >/dev/null
}

stage "install packages" scripts/install-deps.sh
stage "format check" check_format
stage "build gcc" scripts/build.sh gcc
stage "tests gcc (all)" ctest --test-dir build/gcc -j2 --timeout 300
stage "build clang asan+ubsan" scripts/build.sh asan
stage "tests asan (unit)" ctest --test-dir build/asan -L unit -j2 --timeout 300
stage "fuzzers" run_fuzzers
stage "benchmark smoke" benchmark_smoke
