#include "rtc/rtp/rtcp_fir.hpp"

#include <gtest/gtest.h>

#include "rtc/rtp/rtcp_pli.hpp"

namespace switchboard::rtc::rtp {
namespace {

using Bytes = std::vector<std::uint8_t>;

TEST(RtcpFir, KnownBytesAndRoundTrip) {
    // libwebrtc fir_unittest.cc: sender 0x12345678, target 0x23456789, seq 13.
    const Bytes b = {0x84, 206,  0x00, 0x04, 0x12, 0x34, 0x56, 0x78, 0x00, 0x00,
                     0x00, 0x00, 0x23, 0x45, 0x67, 0x89, 0x0d, 0x00, 0x00, 0x00};
    auto v = RtcpReader::read_all(b)->front();
    auto fir = RtcpFir::parse(v);
    ASSERT_TRUE(fir);
    EXPECT_EQ(fir->sender_ssrc, 0x12345678u);
    ASSERT_EQ(fir->entries.size(), 1u);
    EXPECT_EQ(fir->entries[0], (RtcpFir::Entry{0x23456789, 13}));
    EXPECT_FALSE(RtcpPli::parse(v));  // FMT 4 is not a PLI
    Bytes out;
    fir->write(out);
    EXPECT_EQ(out, b);
}

TEST(RtcpPli, KnownBytes) {
    const Bytes b = {0x81, 206, 0x00, 0x02, 0x12, 0x34, 0x56, 0x78, 0x23, 0x45, 0x67, 0x89};
    auto pli = RtcpPli::parse(RtcpReader::read_all(b)->front());
    ASSERT_TRUE(pli);
    EXPECT_EQ(pli->sender_ssrc, 0x12345678u);
    EXPECT_EQ(pli->media_ssrc, 0x23456789u);
    Bytes out;
    pli->write(out);
    EXPECT_EQ(out, b);
}

}  // namespace
}  // namespace switchboard::rtc::rtp
