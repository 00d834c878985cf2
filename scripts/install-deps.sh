#!/usr/bin/env bash
# Installs everything Switchboard needs to build, test and run, from Debian 12's
# packages only. Idempotent; run as root.
set -euo pipefail

packages=(
  # toolchain
  cmake ninja-build g++ clang-14 libclang-rt-14-dev clang-format pkg-config ccache git
  # libraries
  libboost-dev rapidjson-dev
  libavcodec-dev libavformat-dev libavutil-dev libswscale-dev libswresample-dev
  libssl-dev libsrtp2-dev libnice-dev
  # the chromecast plugin's CASTV2 framing: protoc and the (lite) runtime
  protobuf-compiler libprotobuf-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev ffmpeg python3
  # real peers for interop tests: aiortc; Chromium (driven by playwright-core, never a
  # downloaded browser); coturn's turnserver for the TURN tests
  python3-aiortc python3-numpy chromium coturn
  # the RTSP test camera (gst-rtsp-server through python3-gi) and the GStreamer pipelines
  # the latency benchmark compares against; x264enc is in -ugly, x265enc in -bad, jpegenc
  # and the G.711 encoders in -good, avenc_aac in -libav; RTSPS needs GIO's TLS backend
  # (glib-networking) and the camera's --make-cert python3-cryptography
  python3-gi gir1.2-gst-rtsp-server-1.0 python3-gst-1.0 gstreamer1.0-tools gstreamer1.0-plugins-base
  gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-libav gstreamer1.0-x fonts-dejavu-core
  glib-networking python3-cryptography
  # benchmarks/latency decodes both sides' RTP (PyAV) and decrypts a call's SRTP (pylibsrtp);
  # aiortc pulls both in, named here because the harness imports them itself
  python3-av python3-pylibsrtp
  # the mDNS responder the chromecast discovery tests query (tests/peers/mdns_responder.py)
  python3-zeroconf
)
# Node peers (libwebrtc through @roamhq/wrtc): npm ci runs in the build tree.
command -v node >/dev/null || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "all ${#packages[@]} packages present"
fi
