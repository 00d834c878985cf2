// A station's call memory across restarts: open calls, handled call ids, direct rooms,
// noticed rooms; a damaged file is an error, not an empty store.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "matrix/station/call_store.hpp"

using namespace switchboard::matrix;
namespace fs = std::filesystem;

namespace {

class CallStoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir = fs::temp_directory_path() / ("call-store-test-" + std::to_string(::getpid()));
        fs::remove_all(dir);
    }
    void TearDown() override { fs::remove_all(dir); }
    fs::path dir;
};

TEST_F(CallStoreTest, KeepsEverythingAcrossARestart) {
    {
        CallStore store(dir / "calls.json");
        ASSERT_TRUE(store.load().ok());
        EXPECT_TRUE(store.active().empty());
        ASSERT_TRUE(store.add_active({"c1", "!r:hs", CallProtocol::v1, "PARTY1"}).ok());
        ASSERT_TRUE(store.add_active({"c2", "!s:hs", CallProtocol::v0, "PARTY1"}).ok());
        ASSERT_TRUE(store.remove_active("c1").ok());
        ASSERT_TRUE(store.mark_handled("c9").ok());
        ASSERT_TRUE(store.set_direct_room("@a:hs", "!dm:hs").ok());
        ASSERT_TRUE(store.mark_noticed("!enc:hs").ok());
    }
    CallStore again(dir / "calls.json");
    ASSERT_TRUE(again.load().ok());
    ASSERT_EQ(again.active().size(), 1u);
    EXPECT_EQ(again.active()[0].call_id, "c2");
    EXPECT_EQ(again.active()[0].protocol, CallProtocol::v0);
    EXPECT_EQ(again.active()[0].party_id, "PARTY1");
    EXPECT_TRUE(again.handled("c1"));
    EXPECT_TRUE(again.handled("c2")) << "an open call's invite must not ring after a restart";
    EXPECT_TRUE(again.handled("c9"));
    EXPECT_FALSE(again.handled("c3"));
    EXPECT_EQ(again.direct_room("@a:hs"), "!dm:hs");
    EXPECT_TRUE(again.noticed("!enc:hs"));
    EXPECT_EQ(fs::status(dir / "calls.json").permissions() & fs::perms::others_all, fs::perms::none);
}

TEST_F(CallStoreTest, RemembersABoundedNumberOfHandledCalls) {
    CallStore store(dir / "calls.json");
    for (std::size_t i = 0; i < CallStore::kHandledLimit + 10; ++i)
        ASSERT_TRUE(store.mark_handled("c" + std::to_string(i)).ok());
    EXPECT_FALSE(store.handled("c0"));
    EXPECT_TRUE(store.handled("c" + std::to_string(CallStore::kHandledLimit + 9)));
}

TEST_F(CallStoreTest, ADamagedFileIsAnError) {
    fs::create_directories(dir);
    std::ofstream(dir / "calls.json") << "{not json";
    CallStore store(dir / "calls.json");
    auto loaded = store.load();
    ASSERT_FALSE(loaded.ok());
    EXPECT_NE(loaded.error().to_string().find("calls.json"), std::string::npos);
}

}  // namespace
