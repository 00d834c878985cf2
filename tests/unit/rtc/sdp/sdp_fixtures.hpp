// Reads the SDP fixtures in data/ (see data/generate_aiortc.py for where they come from).
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "rtc/sdp/local_media.hpp"
#include "rtc/sdp/session_description.hpp"

namespace switchboard::rtc::sdp::test {

inline std::string fixture(const std::string& name) {
    std::ifstream in(std::string(SWITCHBOARD_SOURCE_DIR) + "/tests/unit/rtc/sdp/data/" + name, std::ios::binary);
    EXPECT_TRUE(in) << name;
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline SessionDescription parse_fixture(const std::string& name) {
    auto r = SessionDescription::parse(fixture(name));
    EXPECT_TRUE(r.ok()) << name << ": " << (r.ok() ? "" : r.error().message);
    return r.ok() ? r.value() : SessionDescription{};
}

inline LocalTransport test_transport() {
    LocalTransport t;
    t.ice_ufrag = "sWbd";
    t.ice_pwd = "Jr8cJq1MC5k0yLgTzR3hX2eA";
    t.fingerprint = *Fingerprint::parse(
        "sha-256 0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9:0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9");
    return t;
}

}  // namespace switchboard::rtc::sdp::test
