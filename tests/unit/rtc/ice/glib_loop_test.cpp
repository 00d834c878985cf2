// The GLib loop thread: functions run there, in order, and stop() leaves nothing behind.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "rtc/ice/glib_loop.hpp"

using namespace switchboard::rtc;

TEST(GlibLoop, InvokeRunsOnTheLoopThreadInOrder) {
    GlibLoop loop;
    std::vector<int> order;
    std::thread::id ran_on;
    for (int i = 0; i < 5; ++i) loop.invoke([&order, i] { order.push_back(i); });
    loop.invoke_and_wait([&] { ran_on = std::this_thread::get_id(); });
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
    EXPECT_NE(ran_on, std::this_thread::get_id());
    EXPECT_FALSE(loop.on_loop_thread());
}

TEST(GlibLoop, NestedInvokeRunsAtOnce) {
    GlibLoop loop;
    bool inner_ran_first = false;
    loop.invoke_and_wait([&] {
        bool inner = false;
        loop.invoke([&] { inner = true; });
        inner_ran_first = inner;
    });
    EXPECT_TRUE(inner_ran_first);
}

TEST(GlibLoop, StopDrainsAndLaterInvokesRunInline) {
    std::atomic<int> ran{0};
    GlibLoop loop;
    for (int i = 0; i < 100; ++i) loop.invoke([&] { ++ran; });
    loop.stop();
    EXPECT_EQ(ran, 100);
    loop.invoke([&] { ++ran; });
    loop.invoke_and_wait([&] { ++ran; });
    EXPECT_EQ(ran, 102);
    loop.stop();  // idempotent
}

TEST(GlibLoop, TwoLoopsAreIndependent) {
    GlibLoop a, b;
    std::thread::id ta, tb;
    a.invoke_and_wait([&] { ta = std::this_thread::get_id(); });
    b.invoke_and_wait([&] { tb = std::this_thread::get_id(); });
    EXPECT_NE(ta, tb);
}
