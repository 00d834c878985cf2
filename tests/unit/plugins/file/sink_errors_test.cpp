// Mistakes in file node configs are clear errors naming the config pointer and the path.
#include <gtest/gtest.h>

#include <fstream>

#include "file/sink_settings.hpp"
#include "file/source_settings.hpp"
#include "file_test_util.hpp"

using namespace switchboard;
using test::TestNodeContext;

namespace {
void expect_mentions(const std::string& message, std::initializer_list<const char*> parts) {
    for (const char* part : parts)
        EXPECT_NE(message.find(part), std::string::npos) << "'" << part << "' in: " << message;
}
}  // namespace

TEST(FileConfig, Schemas) {
    EXPECT_TRUE(test::schema_accepts(file::sink_schema, R"({"path":"/tmp/a.mkv"})"));
    EXPECT_TRUE(test::schema_accepts(file::sink_schema, R"({"path":"/tmp/a","container":"mp4"})"));
    EXPECT_FALSE(test::schema_accepts(file::sink_schema, R"({})"));
    EXPECT_FALSE(test::schema_accepts(file::sink_schema, R"({"path":"/tmp/a.mkv","container":"avi"})"));
    EXPECT_TRUE(test::schema_accepts(file::source_schema, R"({"path":"/tmp/a.mkv","realtime":false,"loop":true})"));
    EXPECT_FALSE(test::schema_accepts(file::source_schema, R"({"path":"/tmp/a.mkv","speed":2})"));
}

TEST(FileSinkErrors, UnwritablePath) {
    TestNodeContext ctx;
    auto made = test::try_make_file_node(ctx, "file.sink", R"({"path":"/no/such/folder/rec.mkv"})");
    ASSERT_FALSE(made);
    EXPECT_EQ(made.error().kind, ErrorKind::invalid);
    expect_mentions(made.error().message, {"/nodes/2/config", "/no/such/folder/rec.mkv", "does not exist"});

    test::TempDir dir;
    auto folder = test::try_make_file_node(ctx, "file.sink", R"({"path":")" + dir.file("") + R"("})");
    ASSERT_FALSE(folder);
}

TEST(FileSinkErrors, H264IntoWebm) {
    test::TempDir dir;
    const std::string path = dir.file("call.webm");
    TestNodeContext ctx;
    auto sink = test::make_file_node(ctx, "file.sink", R"({"path":")" + path + R"("})");
    // The port says so up front, so the graph can refuse the link or insert a converter...
    auto video = sink->input_ports().at(0);
    EXPECT_EQ(to_string(video.formats), "{video/VP8, video/VP9, video/AV1}");
    EXPECT_EQ(to_string(sink->input_ports().at(1).formats), "{audio/opus}");
    // ...and the node refuses it too.
    Format h264;
    h264.kind = MediaKind::video;
    h264.codec = Codec::h264;
    auto r = sink->set_input_format(0, h264);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::invalid);
    expect_mentions(r.error().message, {"/nodes/2/config/container", "webm", "H264", path.c_str()});
}

TEST(FileSinkErrors, UnknownExtensionAndNoInputs) {
    TestNodeContext ctx;
    auto avi = test::try_make_file_node(ctx, "file.sink", R"({"path":"/tmp/rec.avi"})");
    ASSERT_FALSE(avi);
    expect_mentions(avi.error().message, {"/nodes/2/config", "/tmp/rec.avi", "container"});

    test::TempDir dir;
    auto sink = test::make_file_node(ctx, "file.sink", R"({"path":")" + dir.file("x.mkv") + R"("})");
    auto started = sink->start();
    ASSERT_FALSE(started);
    expect_mentions(started.error().message, {"/nodes/2/config", "no linked input"});
}

TEST(FileSourceErrors, MissingAndUnreadableFiles) {
    TestNodeContext ctx;
    auto missing = test::try_make_file_node(ctx, "file.source", R"({"path":"/no/such/movie.mkv"})");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().kind, ErrorKind::invalid);
    expect_mentions(missing.error().message, {"/nodes/2/config", "/no/such/movie.mkv"});

    test::TempDir dir;
    const std::string text = dir.file("notes.mkv");
    std::ofstream(text) << "not a movie\n";
    auto garbage = test::try_make_file_node(ctx, "file.source", R"({"path":")" + text + R"("})");
    ASSERT_FALSE(garbage);
    expect_mentions(garbage.error().message, {"/nodes/2/config", text.c_str()});
}
