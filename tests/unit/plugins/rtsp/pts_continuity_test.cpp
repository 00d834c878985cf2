// PtsContinuity: one output timeline across camera sessions.
#include <gtest/gtest.h>

#include "rtsp/source/pts_continuity.hpp"

using switchboard::rtsp::PtsContinuity;

TEST(PtsContinuity, StartsAtZeroAndFollowsTheSession) {
    PtsContinuity pts;
    EXPECT_EQ(pts.map(123456, 90000, 1'000'000'000), 0);
    EXPECT_EQ(pts.map(123456 + 3000, 90000, 1'033'000'000), 3000);
}

TEST(PtsContinuity, ANewSessionContinuesAfterTheRealPause) {
    PtsContinuity pts;
    pts.map(500, 90000, 0);
    pts.map(500 + 3000, 90000, 33'000'000);
    pts.new_session();
    // The camera came back 5 s later with timestamps starting anywhere.
    const auto resumed = pts.map(9'999'999, 90000, 5'033'000'000);
    EXPECT_EQ(resumed, 3000 + 5 * 90000);
    EXPECT_EQ(pts.map(9'999'999 + 3000, 90000, 5'066'000'000), resumed + 3000);
}
