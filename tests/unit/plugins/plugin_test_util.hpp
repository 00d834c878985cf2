/// \file plugin_test_util.hpp
/// \brief Helpers shared by the plugin unit tests: configs from JSON text, schema checks,
/// synthetic raw frames, reading stamps, and running ffprobe.
#pragma once

#include <unistd.h>
#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/schema.h>

#include <switchboard/config.hpp>
#include <switchboard/frame.hpp>

#include "testsrc/pattern.hpp"
#include "testsrc/stamp.hpp"
#include "testsrc/tone.hpp"

namespace switchboard::test {

/// A node config parsed from JSON text; keeps the document alive for the NodeConfig.
class JsonConfig {
public:
    explicit JsonConfig(const std::string& json, std::string pointer = "/nodes/0/config")
        : m_pointer(std::move(pointer)) {
        m_doc.Parse(json.c_str());
        if (m_doc.HasParseError()) throw std::invalid_argument("bad JSON in a test: " + json);
    }
    NodeConfig config() const { return NodeConfig(m_doc, m_pointer); }
    const rapidjson::Document& document() const noexcept { return m_doc; }

private:
    rapidjson::Document m_doc;
    std::string m_pointer;
};

/// True when `json` is valid against the draft-04 `schema` (both JSON text).
inline bool schema_accepts(const std::string& schema, const std::string& json) {
    rapidjson::Document schema_doc;
    schema_doc.Parse(schema.c_str());
    if (schema_doc.HasParseError()) throw std::invalid_argument("schema does not parse");
    rapidjson::SchemaDocument compiled(schema_doc);
    rapidjson::Document doc;
    doc.Parse(json.c_str());
    rapidjson::SchemaValidator validator(compiled);
    return doc.Accept(validator);
}

/// A grey I420 picture with a stamp carrying `counter`, for feeding encoders.
inline Frame make_i420(int width, int height, std::int64_t pts, Rational time_base, std::uint32_t counter,
                       std::uint8_t grey = 128) {
    const std::size_t luma = std::size_t(width) * std::size_t(height);
    Frame f;
    f.format.kind = MediaKind::video;
    f.format.codec = Codec::i420;
    f.format.width = width;
    f.format.height = height;
    f.format.frame_rate = Rational{time_base.den, time_base.num};
    f.buffer = Buffer::allocate(luma * 3 / 2);
    std::uint8_t* p = f.buffer.mutable_data();
    for (std::size_t i = 0; i < luma; ++i) p[i] = std::uint8_t(grey + (i % std::size_t(width)) / 8);
    std::fill(p + luma, p + luma * 3 / 2, std::uint8_t(128));
    testsrc::stamp::write(p, width, width, testsrc::stamp::now_ms32(), counter);
    f.plane_count = 3;
    f.planes[0] = {p, width};
    f.planes[1] = {p + luma, width / 2};
    f.planes[2] = {p + luma + luma / 4, width / 2};
    f.pts = pts;
    f.duration = 1;
    f.time_base = time_base;
    f.keyframe = true;
    f.timing.capture_ns = monotonic_ns();
    return f;
}

/// Picture `index` of the test camera's moving pattern, stamped with `index` as its
/// counter: real content for encoders, without the camera's real-time pacing.
inline Frame make_pattern_frame(int width, int height, std::int64_t index, int fps = 30) {
    Frame f = make_i420(width, height, index, Rational{1, fps}, std::uint32_t(index));
    testsrc::paint_pattern(f.planes[0], f.planes[1], f.planes[2], width, height, index);
    testsrc::stamp::write(const_cast<std::uint8_t*>(f.planes[0].data), width, width, testsrc::stamp::now_ms32(),
                          std::uint32_t(index));
    return f;
}

/// `count` consecutive S16 frames of a tone (48 kHz unless `sample_rate` says),
/// `samples_per_frame` long and `channels` wide, from sample 0; each carries its own,
/// increasing capture time.
inline std::vector<Frame> make_tone_frames(int count, int samples_per_frame = 960, int channels = 1, double hz = 440.0,
                                           int sample_rate = 48000) {
    testsrc::ToneGenerator tone(hz, sample_rate);
    std::vector<Frame> frames;
    for (int i = 0; i < count; ++i) {
        Frame f;
        f.format.kind = MediaKind::audio;
        f.format.codec = Codec::s16;
        f.format.sample_rate = sample_rate;
        f.format.channels = channels;
        f.buffer = Buffer::allocate(std::size_t(samples_per_frame) * std::size_t(channels) * 2);
        tone.fill(reinterpret_cast<std::int16_t*>(f.buffer.mutable_data()), samples_per_frame, channels);
        f.samples = samples_per_frame;
        f.pts = std::int64_t(i) * samples_per_frame;
        f.duration = samples_per_frame;
        f.time_base = Rational{1, sample_rate};
        f.keyframe = true;
        f.timing.capture_ns = 1'000'000'000 + std::int64_t(i) * 20'000'000;  // distinct, increasing
        frames.push_back(std::move(f));
    }
    return frames;
}

/// The stamp in a raw I420 frame.
inline testsrc::stamp::Reading read_stamp(const Frame& f) {
    return testsrc::stamp::read(f.planes[0].data, f.planes[0].stride, f.format.width);
}

/// A fresh folder under the system temp dir, removed with the object.
class TempDir {
public:
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "switchboard-test-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        m_path = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    std::string file(const std::string& name) const { return (m_path / name).string(); }

private:
    std::filesystem::path m_path;
};

/// Runs a command line and returns its standard output (stderr is discarded).
inline std::string run_command(const std::string& command) {
    std::string out;
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen((command + " 2>/dev/null").c_str(), "r"), pclose);
    if (!pipe) return out;
    std::array<char, 4096> chunk;
    while (std::size_t n = std::fread(chunk.data(), 1, chunk.size(), pipe.get())) out.append(chunk.data(), n);
    return out;
}

}  // namespace switchboard::test
