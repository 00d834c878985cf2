#include "rtc/srtp/srtp_key_log.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "rtc/srtp/srtp_session.hpp"

namespace switchboard::rtc {
namespace {

SrtpKeyLogEntry entry(std::uint8_t seed, SrtpProfile profile = SrtpProfile::aes128_cm_sha1_80) {
    SrtpKeyLogEntry e;
    e.connection = "ufrag" + std::to_string(seed);
    e.keys.profile = profile;
    const auto n = srtp_key_length(profile) + srtp_salt_length(profile);
    for (std::size_t i = 0; i < n; ++i) {
        e.keys.local.push_back(std::uint8_t(seed + i));
        e.keys.remote.push_back(std::uint8_t(0xf0 - i));
    }
    return e;
}

TEST(SrtpKeyLog, ALineReadsBackAsWritten) {
    for (auto profile : {SrtpProfile::aes128_cm_sha1_80, SrtpProfile::aead_aes_128_gcm}) {
        const auto e = entry(1, profile);
        const auto line = format_srtp_key_log_line(e);
        EXPECT_TRUE(line.starts_with("SRTP ufrag1 " + std::string(to_string(profile)) + " tx=0102")) << line;
        const auto back = parse_srtp_key_log_line(line);
        ASSERT_TRUE(back);
        EXPECT_EQ(back->connection, e.connection);
        EXPECT_EQ(back->keys.profile, profile);
        EXPECT_EQ(back->keys.local, e.keys.local);
        EXPECT_EQ(back->keys.remote, e.keys.remote);
    }
}

TEST(SrtpKeyLog, MalformedLinesAreRefused) {
    EXPECT_FALSE(parse_srtp_key_log_line(""));
    EXPECT_FALSE(parse_srtp_key_log_line("CLIENT_RANDOM 00 11"));
    EXPECT_FALSE(parse_srtp_key_log_line("SRTP x SRTP_AES128_CM_SHA1_80 tx=00 rx=00"));  // short keys
    auto line = format_srtp_key_log_line(entry(1));
    line[line.find("tx=") + 3] = 'z';
    EXPECT_FALSE(parse_srtp_key_log_line(line));
}

TEST(SrtpKeyLog, AppendsOneLinePerConnectionToAPrivateFile) {
    const auto path =
        (std::filesystem::temp_directory_path() / ("srtp_key_log_test." + std::to_string(::getpid()))).string();
    std::filesystem::remove(path);
    ASSERT_TRUE(append_srtp_key_log(path, entry(1)).ok());
    ASSERT_TRUE(append_srtp_key_log(path, entry(2)).ok());
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    const auto last = read_last_srtp_key_log_entry(path);
    ASSERT_TRUE(last);
    EXPECT_EQ(last->connection, "ufrag2");
    std::ifstream in(path);
    int lines = 0;
    for (std::string l; std::getline(in, l);) ++lines;
    EXPECT_EQ(lines, 2);
    std::filesystem::remove(path);
    EXPECT_FALSE(append_srtp_key_log("/nonexistent-dir/keys.log", entry(1)).ok());
}

TEST(SrtpKeyLog, TheLoggedTxKeyDecryptsWhatItsOwnerSent) {
    const auto e = entry(3);
    auto sender = SrtpSession::create(e.keys);
    ASSERT_TRUE(sender.ok());
    // An observer reading the log: unprotects with tx as its remote key.
    auto logged = parse_srtp_key_log_line(format_srtp_key_log_line(e));
    ASSERT_TRUE(logged);
    auto observer = SrtpSession::create({logged->keys.profile, logged->keys.remote, logged->keys.local});
    ASSERT_TRUE(observer.ok());
    std::vector<std::uint8_t> pkt = {0x80, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 7, 'h', 'e', 'l', 'l', 'o'};
    const auto plain = pkt;
    pkt.resize(pkt.size() + srtp_max_trailer);
    auto n = sender.value()->protect_rtp(pkt, plain.size());
    ASSERT_TRUE(n.ok());
    auto m = observer.value()->unprotect_rtp(pkt, n.value());
    ASSERT_TRUE(m.ok());
    EXPECT_TRUE(std::equal(plain.begin(), plain.end(), pkt.begin()));
}

}  // namespace
}  // namespace switchboard::rtc
