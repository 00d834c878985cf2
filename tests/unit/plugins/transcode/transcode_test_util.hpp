/// \file transcode_test_util.hpp
/// \brief Making transcode nodes from JSON and pushing frames through them.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/test_node_context.hpp"
#include "transcode/describe.hpp"
#include "unit/plugins/plugin_test_util.hpp"

namespace switchboard::test {

/// A node of `type` ("transcode.encoder"...) made by the plugin's own factory.
inline std::unique_ptr<Node> make_transcode_node(TestNodeContext& ctx, const std::string& type, const std::string& json,
                                                 const std::string& pointer = "/nodes/1/config") {
    for (auto& t : transcode::describe().node_types)
        if (t.type == type) {
            JsonConfig cfg(json, pointer);
            auto made = t.create(ctx, cfg.config());
            if (!made) throw std::runtime_error(made.error().message);
            return std::move(made.value());
        }
    throw std::runtime_error("no node type " + type);
}

/// A node with its own context: the frames it emits are recorded there.
struct Stage {
    TestNodeContext ctx;
    std::unique_ptr<Node> node;

    Stage(const std::string& type, const std::string& json) : node(make_transcode_node(ctx, type, json)) {}

    /// Settles input 0 on `format`; throws on refusal.
    void settle(const Format& format) {
        auto r = node->set_input_format(0, format);
        if (!r) throw std::runtime_error(r.error().message);
    }
    /// Feeds frames and takes what came out of port 0.
    std::vector<Frame> push(std::vector<Frame> frames, bool end = false) {
        for (auto& f : frames) node->on_frame(0, std::move(f));
        if (end) node->on_end_of_stream();
        return ctx.take_frames(0);
    }
    std::vector<Frame> push_one(Frame frame) {
        std::vector<Frame> one;
        one.push_back(std::move(frame));
        return push(std::move(one));
    }
};

inline Format i420(int width, int height, int fps) {
    Format f;
    f.kind = MediaKind::video;
    f.codec = Codec::i420;
    f.width = width;
    f.height = height;
    f.frame_rate = Rational{fps, 1};
    return f;
}

inline Format s16_48k(int channels) {
    Format f;
    f.kind = MediaKind::audio;
    f.codec = Codec::s16;
    f.sample_rate = 48000;
    f.channels = channels;
    return f;
}

/// `samples` of G.711 µ-law at 8 kHz, mono: a loud 1 kHz square wave (whole periods, so
/// frames join seamlessly), as a camera's PCMU audio arrives.
inline Frame make_pcmu(int samples) {
    Frame f;
    f.format.kind = MediaKind::audio;
    f.format.codec = Codec::pcmu;
    f.format.sample_rate = 8000;
    f.format.channels = 1;
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(samples));
    for (int i = 0; i < samples; ++i) bytes[std::size_t(i)] = (i / 4) % 2 ? 0x80 : 0x00;
    f.buffer = Buffer::copy_of(bytes.data(), bytes.size());
    f.time_base = Rational{1, 8000};
    f.duration = samples;
    f.keyframe = true;
    return f;
}

/// True when Annex-B `frame` holds a NAL unit of H264 `type`.
inline bool has_nal(const Frame& frame, int type) {
    const std::uint8_t* d = frame.payload();
    for (std::size_t i = 0; i + 3 < frame.payload_size(); ++i)
        if (d[i] == 0 && d[i + 1] == 0 && d[i + 2] == 1 && (d[i + 3] & 0x1f) == type) return true;
    return false;
}

/// Sign changes per second of a mono S16 signal, i.e. twice its frequency, halved.
inline double tone_hz(const std::vector<Frame>& frames, int rate, int skip_samples = 0) {
    long crossings = 0, counted = 0, seen = 0;
    std::int16_t last = 0;
    for (const auto& f : frames) {
        auto* s = reinterpret_cast<const std::int16_t*>(f.payload());
        const int channels = f.format.channels;
        for (int i = 0; i < f.samples; ++i, ++seen) {
            const std::int16_t v = s[std::size_t(i) * std::size_t(channels)];
            if (seen > skip_samples) {
                if ((last < 0) != (v < 0)) ++crossings;
                ++counted;
            }
            last = v;
        }
    }
    return counted ? crossings / 2.0 / (double(counted) / rate) : 0.0;
}

}  // namespace switchboard::test
