#include <switchboard/request_table.hpp>

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include <string>
#include <vector>

using namespace std::chrono_literals;
using switchboard::RequestTable;

namespace {

TEST(RequestTable, AnAnswerTakesItsEntryOutOnce) {
    boost::asio::io_context io;
    RequestTable<int, std::string> table(io.get_executor());
    table.add(1, "OPTIONS", 10s, [](int, std::string) { FAIL() << "expired"; });
    table.add(2, "DESCRIBE", 10s, [](int, std::string) { FAIL() << "expired"; });
    EXPECT_TRUE(table.contains(1));
    EXPECT_EQ(table.take(1), "OPTIONS");
    EXPECT_EQ(table.take(1), std::nullopt) << "a second answer finds nothing";
    EXPECT_EQ(table.take(7), std::nullopt);
    EXPECT_EQ(table.size(), 1u);
    io.run_for(50ms);  // the taken entry's deadline was cancelled
}

TEST(RequestTable, ADeadlineHandsTheEntryToOnExpiredAndForgetsIt) {
    boost::asio::io_context io;
    RequestTable<int, std::string> table(io.get_executor());
    std::vector<std::pair<int, std::string>> expired;
    table.add(3, "LAUNCH", 20ms, [&](int key, std::string e) { expired.emplace_back(key, std::move(e)); });
    table.add(4, "GET_STATUS", 10s, [&](int key, std::string e) { expired.emplace_back(key, std::move(e)); });
    io.run_for(200ms);
    ASSERT_EQ(expired.size(), 1u);
    EXPECT_EQ(expired[0], (std::pair<int, std::string>{3, "LAUNCH"}));
    EXPECT_FALSE(table.contains(3));
    EXPECT_EQ(table.take(3), std::nullopt) << "a late answer finds nothing";
    EXPECT_TRUE(table.contains(4));
}

TEST(RequestTable, TakeAllEmptiesTheTableInKeyOrderAndNothingExpiresAfter) {
    boost::asio::io_context io;
    RequestTable<int, std::string> table(io.get_executor());
    int expired = 0;
    for (int key : {5, 2, 9}) table.add(key, std::to_string(key), 20ms, [&](int, std::string) { ++expired; });
    EXPECT_EQ(table.take_all(), (std::vector<std::string>{"2", "5", "9"}));
    EXPECT_EQ(table.size(), 0u);
    io.run_for(100ms);
    EXPECT_EQ(expired, 0);
}

TEST(RequestTable, ADeadlineAfterTheTableIsGoneDoesNothing) {
    boost::asio::io_context io;
    int expired = 0;
    {
        RequestTable<int, int> table(io.get_executor());
        table.add(1, 1, 0ms, [&](int, int) { ++expired; });
    }
    io.run_for(50ms);
    EXPECT_EQ(expired, 0);
}

}  // namespace
