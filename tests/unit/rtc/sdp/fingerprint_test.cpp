#include "rtc/sdp/fingerprint.hpp"

#include <gtest/gtest.h>

namespace switchboard::rtc::sdp {
namespace {

TEST(Fingerprint, ParsesAndWritesUpperCase) {
    auto f = Fingerprint::parse("SHA-256 ab:CD:0f");
    ASSERT_TRUE(f);
    EXPECT_EQ(f->algorithm, "sha-256");
    EXPECT_EQ(f->bytes, (std::vector<std::uint8_t>{0xab, 0xcd, 0x0f}));
    EXPECT_EQ(f->to_string(), "sha-256 AB:CD:0F");
}

TEST(Fingerprint, RefusesBadHex) {
    std::string too_long = "sha-512 AB";
    for (int i = 0; i < 64; ++i) too_long += ":AB";
    for (const std::string& bad : std::vector<std::string>{"", "sha-256", "sha-256 ABC", "sha-256 AB:", "sha-256 AB-CD",
                                                           "sha-256 GG", "sha-256 AB:CD extra", too_long})
        EXPECT_FALSE(Fingerprint::parse(bad)) << bad;
}

}  // namespace
}  // namespace switchboard::rtc::sdp
