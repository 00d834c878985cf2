/// \file file_test_util.hpp
/// \brief Making file nodes, encoded test media, and asking ffprobe about a file.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "file/describe.hpp"
#include "support/test_node_context.hpp"
#include "unit/plugins/plugin_test_util.hpp"
#include "unit/plugins/transcode/transcode_test_util.hpp"

namespace switchboard::test {

/// A file node of `type` made by the plugin's factory, or the factory's error.
inline Result<std::unique_ptr<Node>> try_make_file_node(TestNodeContext& ctx, const std::string& type,
                                                        const std::string& json,
                                                        const std::string& pointer = "/nodes/2/config") {
    for (auto& t : file::describe().node_types)
        if (t.type == type) {
            JsonConfig cfg(json, pointer);
            return t.create(ctx, cfg.config());
        }
    return Error::invalid("no node type " + type);
}

inline std::unique_ptr<Node> make_file_node(TestNodeContext& ctx, const std::string& type, const std::string& json) {
    auto made = try_make_file_node(ctx, type, json);
    if (!made) throw std::runtime_error(made.error().message);
    return std::move(made.value());
}

/// Encoded media made by the transcode plugin from the test pattern and a tone.
struct EncodedMedia {
    Format video_format;
    Format audio_format;
    std::vector<Frame> video;
    std::vector<Frame> audio;
};

/// `seconds` of 320x240@30 video in `video_codec` (stamps count from 0) and Opus audio.
inline EncodedMedia encode_media(const std::string& video_codec, double seconds) {
    EncodedMedia m;
    Stage v("transcode.encoder", R"({"codec":")" + video_codec + R"("})");
    v.settle(i420(320, 240, 30));
    std::vector<Frame> pictures;
    const int count = int(seconds * 30);
    const std::int64_t t0 = monotonic_ns();
    for (int i = 0; i < count; ++i) {
        pictures.push_back(make_pattern_frame(320, 240, i));
        pictures.back().timing.capture_ns = t0 + std::int64_t(i) * 1'000'000'000 / 30;
    }
    m.video = v.push(std::move(pictures), true);
    m.video_format = v.node->output_ports()[0].formats.at(0);

    Stage a("transcode.encoder", R"({"codec":"opus"})");
    a.settle(s16_48k(1));
    auto tone = make_tone_frames(int(seconds * 50));
    for (std::size_t i = 0; i < tone.size(); ++i) tone[i].timing.capture_ns = t0 + std::int64_t(i) * 20'000'000;
    m.audio = a.push(std::move(tone), true);
    m.audio_format = a.node->output_ports()[0].formats.at(0);
    return m;
}

/// What ffprobe says about a file: codec name per stream type, and durations.
struct Probe {
    std::string video_codec, audio_codec;
    int width = 0;
    double duration = 0;  ///< the container's, seconds
    int video_frames = 0;
};

inline Probe ffprobe(const std::string& path) {
    const std::string json = run_command(
        "ffprobe -v error -count_frames -show_entries "
        "stream=codec_type,codec_name,width,nb_read_frames:format=duration "
        "-of json '" +
        path + "'");
    Probe p;
    rapidjson::Document doc;
    doc.Parse(json.c_str());
    if (doc.HasParseError() || !doc.IsObject()) return p;
    if (doc.HasMember("streams"))
        for (auto& s : doc["streams"].GetArray()) {
            const std::string type = s["codec_type"].GetString();
            if (type == "video") {
                p.video_codec = s["codec_name"].GetString();
                p.width = s.HasMember("width") ? s["width"].GetInt() : 0;
                if (s.HasMember("nb_read_frames")) p.video_frames = std::stoi(s["nb_read_frames"].GetString());
            } else if (type == "audio") {
                p.audio_codec = s["codec_name"].GetString();
            }
        }
    if (doc.HasMember("format") && doc["format"].HasMember("duration"))
        p.duration = std::stod(doc["format"]["duration"].GetString());
    return p;
}

}  // namespace switchboard::test
