// testsrc.camera: config, ports, paced frames with stamps and counters, audio tone, stop.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <memory>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "support/test_node_context.hpp"
#include "testsrc/camera_node.hpp"
#include "testsrc/camera_settings.hpp"
#include "testsrc/describe.hpp"
#include "testsrc/stamp.hpp"
#include "unit/plugins/plugin_test_util.hpp"

using namespace switchboard;
using switchboard::test::JsonConfig;
using switchboard::test::TestNodeContext;
using switchboard::testsrc::CameraNode;
using namespace std::chrono_literals;

namespace {

std::unique_ptr<Node> make_camera(TestNodeContext& ctx, const std::string& json) {
    JsonConfig cfg(json);
    auto made = testsrc::describe().node_types.at(0).create(ctx, cfg.config());
    if (!made) throw std::runtime_error(made.error().message);
    return std::move(made.value());
}

/// Sign changes per second of a mono S16 signal: twice its frequency.
double zero_crossing_hz(const std::vector<Frame>& frames) {
    long crossings = 0;
    long samples = 0;
    std::int16_t last = 0;
    for (const auto& f : frames) {
        auto* s = reinterpret_cast<const std::int16_t*>(f.payload());
        for (int i = 0; i < f.samples; ++i, ++samples) {
            if ((last < 0) != (s[i] < 0) && samples > 0) ++crossings;
            last = s[i];
        }
    }
    return crossings / 2.0 / (double(samples) / 48000.0);
}

}  // namespace

TEST(CameraConfig, SchemaParsesAndValidates) {
    const std::string schema = testsrc::camera_schema;
    EXPECT_TRUE(test::schema_accepts(schema, "{}"));
    EXPECT_TRUE(
        test::schema_accepts(schema, R"({"width":320,"height":240,"fps":15,"tone_hz":1000,"audio":false,"frames":5})"));
    EXPECT_FALSE(test::schema_accepts(schema, R"({"colour":"red"})"));  // additionalProperties
    EXPECT_FALSE(test::schema_accepts(schema, R"({"width":321})"));     // even only
    EXPECT_FALSE(test::schema_accepts(schema, R"({"fps":0})"));
    EXPECT_FALSE(test::schema_accepts(schema, R"({"audio":"yes"})"));
}

TEST(CameraConfig, SchemaDefaultsAreTheCodesDefaults) {
    rapidjson::Document schema;
    schema.Parse(testsrc::camera_schema);
    rapidjson::Document defaults(rapidjson::kObjectType);
    const rapidjson::Value& properties = schema["properties"];
    for (const char* key : {"width", "height", "fps", "tone_hz", "audio"}) {
        ASSERT_TRUE(properties.HasMember(key) && properties[key].HasMember("default")) << key;
        defaults.AddMember(rapidjson::StringRef(key),
                           rapidjson::Value(properties[key]["default"], defaults.GetAllocator()),
                           defaults.GetAllocator());
    }
    EXPECT_FALSE(properties["frames"].HasMember("default")) << "frames: unlimited unless set";
    auto from_schema = testsrc::CameraSettings::from(NodeConfig(defaults, "/x"));
    rapidjson::Document empty(rapidjson::kObjectType);
    auto from_code = testsrc::CameraSettings::from(NodeConfig(empty, "/x"));
    EXPECT_EQ(from_schema.width, from_code.width);
    EXPECT_EQ(from_schema.height, from_code.height);
    EXPECT_EQ(from_schema.fps, from_code.fps);
    EXPECT_EQ(from_schema.tone_hz, from_code.tone_hz);
    EXPECT_EQ(from_schema.audio, from_code.audio);
    EXPECT_EQ(from_code.width, 1280);
    EXPECT_EQ(from_code.height, 720);
    EXPECT_EQ(from_code.fps, 30);
}

TEST(CameraConfig, TooShortForTheStampIsAnErrorNamingThePointer) {
    TestNodeContext ctx;
    JsonConfig cfg(R"({"width":1280,"height":40})", "/nodes/3/config");
    auto made = testsrc::describe().node_types.at(0).create(ctx, cfg.config());
    ASSERT_FALSE(made);
    EXPECT_EQ(made.error().kind, ErrorKind::invalid);
    EXPECT_NE(made.error().message.find("/nodes/3/config"), std::string::npos) << made.error().message;
    EXPECT_NE(made.error().message.find("height"), std::string::npos) << made.error().message;
}

TEST(CameraNode, DescribesItsTypeAndPorts) {
    auto info = testsrc::describe();
    EXPECT_EQ(info.name, "testsrc");
    ASSERT_EQ(info.node_types.size(), 1u);
    EXPECT_EQ(info.node_types[0].type, "testsrc.camera");
    EXPECT_EQ(info.node_types[0].role, NodeRole::source);

    TestNodeContext ctx;
    auto camera = make_camera(ctx, "{}");
    EXPECT_TRUE(camera->input_ports().empty());
    auto ports = camera->output_ports();
    ASSERT_EQ(ports.size(), 2u);
    EXPECT_EQ(ports[0].name, "video");
    EXPECT_EQ(to_string(ports[0].formats), "{video/I420 1280x720@30}");
    EXPECT_EQ(ports[1].name, "audio");
    EXPECT_EQ(to_string(ports[1].formats), "{audio/S16 48000Hz 1ch}");

    auto silent = make_camera(ctx, R"({"audio":false})");
    EXPECT_EQ(silent->output_ports().size(), 1u);
}

TEST(CameraNode, EmitsPacedStampedFramesThenFinishes) {
    TestNodeContext ctx("camera");
    auto camera = make_camera(ctx, R"({"width":320,"height":240,"fps":30,"frames":12})");
    ctx.call([&] { ASSERT_TRUE(camera->start().ok()); });
    ASSERT_TRUE(ctx.run_until([&] { return ctx.is_finished(); }, 3s));

    auto video = ctx.frames(CameraNode::video_port);
    ASSERT_EQ(video.size(), 12u);
    for (std::size_t i = 0; i < video.size(); ++i) {
        const Frame& f = video[i];
        EXPECT_EQ(f.pts, std::int64_t(i));
        EXPECT_EQ(f.time_base, (Rational{1, 30}));
        EXPECT_TRUE(f.keyframe);
        EXPECT_EQ(to_string(f.format), "video/I420 320x240@30");
        EXPECT_EQ(f.plane_count, 3);
        EXPECT_GT(f.timing.capture_ns, 0);
        auto stamp = test::read_stamp(f);
        EXPECT_EQ(stamp.counter, i) << "frame " << i;
        auto age = testsrc::stamp::age_ms(stamp.ms32);
        ASSERT_TRUE(age.has_value()) << "stamp time " << stamp.ms32 << " is not about now";
        EXPECT_LT(*age, 5000u);
    }
    // Paced, not bursted: 11 frame intervals at 30 fps take about 367 ms.
    const double span_ms = double(video.back().timing.capture_ns - video.front().timing.capture_ns) / 1e6;
    EXPECT_GT(span_ms, 300.0);
    EXPECT_LT(span_ms, 1000.0);
    // The picture moves: consecutive frames differ below the stamp.
    const std::uint8_t* a = video[0].planes[0].data + 100 * 320;
    const std::uint8_t* b = video[1].planes[0].data + 100 * 320;
    EXPECT_NE(std::memcmp(a, b, 320), 0);

    auto audio = ctx.frames(CameraNode::audio_port);
    ASSERT_GE(audio.size(), 10u);  // ~18 in 367 ms
    for (std::size_t i = 0; i < audio.size(); ++i) {
        EXPECT_EQ(audio[i].samples, 960);
        EXPECT_EQ(audio[i].payload_size(), 960u * 2);
        EXPECT_EQ(audio[i].pts, std::int64_t(i) * 960);
        EXPECT_EQ(audio[i].time_base, (Rational{1, 48000}));
        EXPECT_EQ(to_string(audio[i].format), "audio/S16 48000Hz 1ch");
    }
    EXPECT_NEAR(zero_crossing_hz(audio), 440.0, 10.0);
    ctx.call([&] { camera->stop(); });
}

TEST(CameraNode, ToneFrequencyIsConfigurable) {
    TestNodeContext ctx;
    auto camera = make_camera(ctx, R"({"width":80,"height":16,"fps":10,"tone_hz":1000,"frames":3})");
    ctx.call([&] { ASSERT_TRUE(camera->start().ok()); });
    ASSERT_TRUE(ctx.run_until([&] { return ctx.is_finished(); }, 3s));
    EXPECT_NEAR(zero_crossing_hz(ctx.frames(CameraNode::audio_port)), 1000.0, 20.0);
    ctx.call([&] { camera->stop(); });
}

TEST(CameraNode, NothingHappensAfterStop) {
    TestNodeContext ctx;
    auto camera = make_camera(ctx, R"({"width":160,"height":120,"fps":60})");
    ctx.call([&] { ASSERT_TRUE(camera->start().ok()); });
    ASSERT_TRUE(ctx.run_until([&] { return ctx.frame_count(CameraNode::video_port) >= 3; }, 3s));
    ctx.call([&] { camera->stop(); });
    const auto video = ctx.frame_count(CameraNode::video_port);
    const auto audio = ctx.frame_count(CameraNode::audio_port);
    // Give any stray timer three video periods to misbehave.
    EXPECT_FALSE(ctx.run_until([&] { return ctx.frame_count(CameraNode::video_port) > video; }, 50ms));
    EXPECT_EQ(ctx.frame_count(CameraNode::audio_port), audio);
    camera.reset();  // the host destroys the node once stop() returned...
    ctx.drain();     // ...and cancelled handlers may still run: they must not touch it
    EXPECT_FALSE(ctx.is_finished());
    EXPECT_TRUE(ctx.failures().empty());
}
