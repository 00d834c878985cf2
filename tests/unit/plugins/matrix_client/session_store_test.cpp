#include "matrix_client/session_store.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace switchboard::matrix {
namespace {

class SessionStoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        m_dir =
            std::filesystem::temp_directory_path() / ("sb-matrix-store-" + std::to_string(::getpid()) + "-" +
                                                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(m_dir);
    }
    void TearDown() override { std::filesystem::remove_all(m_dir); }
    std::filesystem::path m_dir;
};

TEST_F(SessionStoreTest, NothingStoredYet) {
    SessionStore store(m_dir / "state");
    auto loaded = store.load();
    ASSERT_TRUE(loaded);
    EXPECT_FALSE(loaded.value());
}

TEST_F(SessionStoreTest, SaveLoadRoundTripWithPrivateModes) {
    SessionStore store(m_dir / "state");
    SessionState state{"http://127.0.0.1:8008", "@gw:hs", "DEV1", "syt_secret", "s42"};
    ASSERT_TRUE(store.save(state));
    state.next_batch = "s43";
    ASSERT_TRUE(store.save(state));
    auto loaded = store.load();
    ASSERT_TRUE(loaded);
    ASSERT_TRUE(loaded.value());
    EXPECT_EQ(loaded.value()->device_id, "DEV1");
    EXPECT_EQ(loaded.value()->access_token, "syt_secret");
    EXPECT_EQ(loaded.value()->next_batch, "s43");
    struct stat st {};
    ASSERT_EQ(::stat(store.file().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    ASSERT_EQ(::stat((m_dir / "state").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    // Only the file itself: no temporary left behind.
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(m_dir / "state"), {}), 1);
}

TEST_F(SessionStoreTest, ForeignFileIsAnError) {
    std::filesystem::create_directories(m_dir);
    std::ofstream(m_dir / "matrix_session.json") << "{\"user_id\": 3}";
    SessionStore store(m_dir);
    auto loaded = store.load();
    ASSERT_FALSE(loaded);
    EXPECT_EQ(loaded.error().kind, ErrorKind::io);
    EXPECT_EQ(loaded.error().message.find("syt_"), std::string::npos);
}

}  // namespace
}  // namespace switchboard::matrix
