/// \file codec_floor_benchmark.cpp
/// \brief The codec floor of an H264 -> VP8 transcode: FFmpeg's h264 decoder and libvpx's
/// VP8 encoder back to back, with no I/O, on a camera's recorded H264.
///
///   codec_floor_benchmark FILE.h264 [--fps 30] [--frames N] [--no-pace]
///
/// The decoder is opened as transcode.decoder opens it (one thread, low delay), the encoder
/// through the plugin's own open_encoder() (realtime, cpu-used 8, lag-in-frames 0, error
/// resilient, CBR at transcode.encoder's default bitrate, one thread), so the figures are
/// what a transcoding gateway cannot beat on this machine. Every access unit is read into
/// memory first; then each is decoded and its picture encoded, timed from handing over
/// the packet to the last encoded byte. By default frames are fed at the camera's rate
/// (--fps), as a live stream comes, so caches and clocks are in the state a gateway sees
/// them in; --no-pace runs them back to back. Prints one JSON object: per-frame wall time
/// p50/p99/max, per-frame CPU time p50/p99 (the thread's own: on a busy machine wall minus
/// CPU is the time spent waiting for a core), CPU in % of one core at --fps, peak RSS.
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/log.h>
}

#include <switchboard/ffmpeg/handles.hpp>

#include "transcode/encoder_setup.hpp"

namespace {

using namespace switchboard;
using Clock = std::chrono::steady_clock;

struct Options {
    std::string path;
    int fps = 30;
    std::size_t max_frames = 0;  ///< 0: the whole file
    bool pace = true;
};

[[noreturn]] void usage(const char* why) {
    std::fprintf(stderr,
                 "codec_floor_benchmark: %s\nusage: codec_floor_benchmark FILE.h264 [--fps N] "
                 "[--frames N] [--no-pace]\n",
                 why);
    std::exit(2);
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> const char* {
            if (i + 1 >= argc) usage(("missing value for " + a).c_str());
            return argv[++i];
        };
        if (a == "--fps")
            o.fps = std::atoi(value());
        else if (a == "--frames")
            o.max_frames = std::size_t(std::atol(value()));
        else if (a == "--no-pace")
            o.pace = false;
        else if (o.path.empty() && !a.starts_with("--"))
            o.path = a;
        else
            usage(("unknown argument " + a).c_str());
    }
    if (o.path.empty() || o.fps <= 0) usage("an H264 file and a positive --fps are needed");
    return o;
}

/// Every access unit of a raw Annex B file (libavformat's h264 demuxer splits them).
std::vector<ffmpeg::PacketPtr> read_access_units(const Options& o) {
    AVFormatContext* raw = nullptr;
    if (avformat_open_input(&raw, o.path.c_str(), av_find_input_format("h264"), nullptr) < 0)
        usage(("cannot read " + o.path).c_str());
    ffmpeg::InputFormatPtr input(raw);
    std::vector<ffmpeg::PacketPtr> units;
    for (;;) {
        ffmpeg::PacketPtr packet(av_packet_alloc());
        if (av_read_frame(input.get(), packet.get()) < 0) break;
        units.push_back(std::move(packet));
        if (o.max_frames && units.size() >= o.max_frames) break;
    }
    return units;
}

ffmpeg::CodecContextPtr open_decoder() {
    ffmpeg::CodecContextPtr c(avcodec_alloc_context3(avcodec_find_decoder(AV_CODEC_ID_H264)));
    c->thread_count = 1;  // as transcode.decoder: one thread, each picture out as it decodes
    c->thread_type = 0;
    c->flags |= AV_CODEC_FLAG_LOW_DELAY;
    if (avcodec_open2(c.get(), c->codec, nullptr) < 0) usage("cannot open the h264 decoder");
    return c;
}

double cpu_now(clockid_t clock = CLOCK_PROCESS_CPUTIME_ID) {
    timespec t{};
    clock_gettime(clock, &t);
    return double(t.tv_sec) + t.tv_nsec / 1e9;
}

double percentile(std::vector<double> v, double q) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto rank = std::size_t(std::max(1.0, std::ceil(q / 100.0 * double(v.size()))));
    return v[std::min(v.size(), rank) - 1];
}

}  // namespace

int main(int argc, char** argv) {
    const Options o = parse(argc, argv);
    av_log_set_level(AV_LOG_ERROR);  // libvpx's version banner is not part of the JSON
    const auto units = read_access_units(o);
    if (units.empty()) usage("no H264 access units in the file");
    auto decoder = open_decoder();
    ffmpeg::CodecContextPtr encoder;
    ffmpeg::FramePtr picture(av_frame_alloc());
    ffmpeg::PacketPtr encoded(av_packet_alloc());
    transcode::EncoderSettings settings;
    settings.codec = Codec::vp8;
    settings.bitrate_kbps = transcode::EncoderSettings::default_bitrate_kbps(Codec::vp8);

    std::vector<double> wall_ms, cpu_ms;
    std::size_t bytes_out = 0, keyframes = 0;
    std::int64_t pts = 0;
    const auto period = std::chrono::nanoseconds(1'000'000'000 / o.fps);
    const auto start = Clock::now();
    const double cpu_start = cpu_now();
    for (std::size_t i = 0; i < units.size(); ++i) {
        if (o.pace) std::this_thread::sleep_until(start + i * period);
        const auto t0 = Clock::now();
        const double c0 = cpu_now(CLOCK_THREAD_CPUTIME_ID);
        if (avcodec_send_packet(decoder.get(), units[i].get()) < 0) continue;  // before the first keyframe
        bool made = false;
        while (avcodec_receive_frame(decoder.get(), picture.get()) == 0) {
            if (!encoder) {
                Format input;
                input.kind = MediaKind::video;
                input.codec = Codec::i420;
                input.width = picture->width;
                input.height = picture->height;
                input.frame_rate = {o.fps, 1};
                auto opened = transcode::open_encoder(settings, input);
                if (!opened) usage(opened.error().message.c_str());
                encoder = std::move(opened.value());
            }
            picture->pts = pts;
            pts += 90000 / o.fps;
            picture->pict_type = AV_PICTURE_TYPE_NONE;
            if (avcodec_send_frame(encoder.get(), picture.get()) < 0) usage("the encoder refused a picture");
            av_frame_unref(picture.get());
            while (avcodec_receive_packet(encoder.get(), encoded.get()) == 0) {
                bytes_out += std::size_t(encoded->size);
                if (encoded->flags & AV_PKT_FLAG_KEY) ++keyframes;
                av_packet_unref(encoded.get());
            }
            made = true;
        }
        if (!made) continue;
        wall_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        cpu_ms.push_back((cpu_now(CLOCK_THREAD_CPUTIME_ID) - c0) * 1e3);
    }
    const double cpu_s = cpu_now() - cpu_start;
    rusage usage_now{};
    getrusage(RUSAGE_SELF, &usage_now);
    const double frames = double(wall_ms.size());
    std::printf(
        "{\"frames\": %zu, \"width\": %d, \"height\": %d, \"fps\": %d, \"paced\": %s, "
        "\"p50_ms\": %.3f, \"p99_ms\": %.3f, \"max_ms\": %.3f, \"cpu_p50_ms\": %.3f, \"cpu_p99_ms\": %.3f, "
        "\"cpu_ms_per_frame\": %.3f, "
        "\"cpu_percent\": %.1f, \"vp8_kbps\": %.0f, \"vp8_keyframes\": %zu, \"peak_rss_mib\": %.1f}\n",
        wall_ms.size(), encoder ? encoder->width : 0, encoder ? encoder->height : 0, o.fps, o.pace ? "true" : "false",
        percentile(wall_ms, 50), percentile(wall_ms, 99),
        wall_ms.empty() ? 0.0 : *std::max_element(wall_ms.begin(), wall_ms.end()), percentile(cpu_ms, 50),
        percentile(cpu_ms, 99), frames ? cpu_s / frames * 1e3 : 0.0, frames ? 100.0 * cpu_s / (frames / o.fps) : 0.0,
        frames ? double(bytes_out) * 8 / (frames / o.fps) / 1e3 : 0.0, keyframes, usage_now.ru_maxrss / 1024.0);
    return wall_ms.empty() ? 1 : 0;
}
