// Request targets: resources, tokens, and the RFC 8216bis §6.2.5 delivery directives.
#include <gtest/gtest.h>

#include "hls/hls_target.hpp"

namespace switchboard::hls {
namespace {

using R = HlsTarget::Resource;
using S = TargetParse::Status;

TEST(HlsTarget, Resources) {
    auto p = parse_hls_target("/hls/tok_1-A/index.m3u8");
    ASSERT_EQ(p.status, S::ok);
    EXPECT_EQ(p.target.token, "tok_1-A");
    EXPECT_EQ(p.target.resource, R::multivariant);
    EXPECT_EQ(parse_hls_target("/hls/t/media.m3u8").target.resource, R::media_playlist);
    EXPECT_EQ(parse_hls_target("/hls/t/init.mp4").target.resource, R::init);
    p = parse_hls_target("/hls/t/seg42.m4s");
    EXPECT_EQ(p.target.resource, R::segment);
    EXPECT_EQ(p.target.msn, 42u);
    p = parse_hls_target("/hls/t/part7.3.m4s?x=1");
    ASSERT_EQ(p.status, S::ok);
    EXPECT_EQ(p.target.resource, R::part);
    EXPECT_EQ(p.target.msn, 7u);
    EXPECT_EQ(p.target.index, 3u);
}

TEST(HlsTarget, UnknownPathsAndTokensAreNotFound) {
    for (const char* t :
         {"/", "/hls/", "/hls/t", "/hls/t/", "/hls/t/other.m3u8", "/hls/t/seg.m4s", "/hls/t/seg-1.m4s",
          "/hls/t/seg1x.m4s", "/hls/t/part1.m4s", "/hls/t/part1..m4s", "/hls/a.b/media.m3u8", "/hls/t/x/media.m3u8",
          "/hls/%41/media.m3u8", "/other/t/media.m3u8", "/hls/t/seg99999999999999999999999.m4s"})
        EXPECT_EQ(parse_hls_target(t).status, S::not_found) << t;
    EXPECT_FALSE(valid_token(std::string(129, 'a')));
    EXPECT_TRUE(valid_token(std::string(128, 'a')));
}

TEST(HlsTarget, BlockingDirectives) {
    auto p = parse_hls_target("/hls/t/media.m3u8?_HLS_msn=12&_HLS_part=3");
    ASSERT_EQ(p.status, S::ok);
    EXPECT_EQ(p.target.block_msn, 12u);
    EXPECT_EQ(p.target.block_part, 3u);
    p = parse_hls_target("/hls/t/media.m3u8?_HLS_msn=5&_HLS_skip=YES&cb=9");
    ASSERT_EQ(p.status, S::ok);
    EXPECT_EQ(p.target.block_msn, 5u);
    EXPECT_FALSE(p.target.block_part);
}

TEST(HlsTarget, MalformedDirectivesAreBadRequests) {
    for (const char* t :
         {"/hls/t/media.m3u8?_HLS_part=1", "/hls/t/media.m3u8?_HLS_msn=", "/hls/t/media.m3u8?_HLS_msn=-1",
          "/hls/t/media.m3u8?_HLS_msn=1x", "/hls/t/media.m3u8?_HLS_msn=1&_HLS_msn=2",
          "/hls/t/media.m3u8?_HLS_msn=1&_HLS_part=99999999999", "/hls/t/media.m3u8?_HLS_skip=NO",
          "/hls/t/media.m3u8?_HLS_msn"})
        EXPECT_EQ(parse_hls_target(t).status, S::bad_request) << t;
}

}  // namespace
}  // namespace switchboard::hls
