#!/usr/bin/env bash
# An integrator's path: install Switchboard into a prefix, build tests/out_of_tree with
# nothing but find_package(Switchboard), and run the plugin in a graph with the
# installed program.   usage: out_of_tree_test.sh BINARY_DIR SOURCE_DIR
set -euo pipefail
binary_dir=$1
source_dir=$2
work=$(mktemp -d /tmp/sb-oot.XXXXXX)
trap 'rm -rf "$work"' EXIT

cmake --install "$binary_dir" --prefix "$work/prefix" > "$work/install.log"
cmake -S "$source_dir/tests/out_of_tree" -B "$work/build" -G Ninja \
  -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=RelWithDebInfo > "$work/configure.log"
cmake --build "$work/build" > "$work/build.log"
test -f "$work/build/libswitchboard-hello.so"

cat > "$work/graph.json" <<JSON
{
  "plugin_path": ["$work/build"],
  "duration_s": 1,
  "nodes": [
    {"name": "camera", "type": "testsrc.camera", "config": {"width": 320, "height": 240, "fps": 30}},
    {"name": "counter", "type": "hello.counter", "config": {"path": "$work/counts.json"}}
  ],
  "links": [
    {"from": "camera.video", "to": "counter.video"},
    {"from": "camera.audio", "to": "counter.audio"}
  ]
}
JSON
"$work/prefix/bin/switchboard" check "$work/graph.json" | grep -q "hello.counter"
timeout 60 "$work/prefix/bin/switchboard" run "$work/graph.json" > "$work/run.txt"
cat "$work/run.txt" "$work/counts.json"
/usr/bin/python3 - "$work/counts.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
assert 20 <= c["video"] <= 40, c          # ~30 frames in 1 s
assert c["video_keyframes"] == c["video"], c   # raw video: every frame stands alone
assert 40 <= c["audio"] <= 60, c          # 20 ms audio frames
PY
echo "1 passed, 0 failed"
