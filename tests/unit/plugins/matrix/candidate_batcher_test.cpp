// The candidate batcher's timing (matrix-voip.md §1.10–1.11) against Synapse's default
// rate limit (0.2 events/s, burst 10), with the time passed in.
#include "matrix/call_events/candidate_batcher.hpp"

#include <gtest/gtest.h>

namespace switchboard::matrix {
namespace {

using namespace std::chrono_literals;
using TimePoint = CandidateBatcher::TimePoint;

const TimePoint t0 = TimePoint{} + 1000s;

Candidate host(int n) {
    return {"candidate:" + std::to_string(n) + " 1 udp 1 10.0.0.1 5000 typ host", "0", 0u};
}

TEST(RateLimit, SynapseDefaultBurstThenOneEveryFiveSeconds) {
    RateLimit limit;
    for (int i = 0; i < 10; ++i) {
        EXPECT_TRUE(limit.allows(t0));
        limit.record(t0);
    }
    EXPECT_FALSE(limit.allows(t0));
    EXPECT_EQ(limit.earliest(t0), t0 + 5s);
    EXPECT_TRUE(limit.allows(t0 + 5s));
    EXPECT_DOUBLE_EQ(limit.level(t0 + 10s), 8.0);
    // Keeping 2 slots: at level 8 the next event waits until the level is 7.
    EXPECT_EQ(limit.earliest(t0 + 10s, 2), t0 + 15s);
    EXPECT_DOUBLE_EQ(limit.level(t0 + 100s), 0.0);
}

TEST(CandidateBatcher, NothingBeforeTheInviteThenFirstBatchTwoSecondsAfter) {
    CandidateBatcher b(CandidateBatcher::caller());
    RateLimit limit;
    b.add(host(1), t0);
    b.add(host(2), t0 + 50ms);
    EXPECT_FALSE(b.next_flush(limit));
    EXPECT_TRUE(b.take_due(t0 + 10s, limit).empty());
    b.description_sent(t0 + 200ms);
    limit.record(t0 + 200ms);  // the invite itself
    EXPECT_EQ(b.next_flush(limit), t0 + 2200ms);
    EXPECT_TRUE(b.take_due(t0 + 2199ms, limit).empty());
    const auto batch = b.take_due(t0 + 2200ms, limit);
    ASSERT_EQ(batch.size(), 2u);
    EXPECT_EQ(batch[0], host(1));
    EXPECT_FALSE(b.next_flush(limit));
    EXPECT_EQ(b.pending(), 0u);
}

TEST(CandidateBatcher, CalleeFlushesAfterHalfASecond) {
    CandidateBatcher b(CandidateBatcher::callee());
    RateLimit limit;
    b.description_sent(t0);
    b.add(host(1), t0 + 100ms);
    EXPECT_EQ(b.next_flush(limit), t0 + 600ms);
}

TEST(CandidateBatcher, LaterCandidatesCollectForABatchWindow) {
    CandidateBatcher b;
    RateLimit limit;
    b.description_sent(t0);
    b.add(host(1), t0);
    EXPECT_EQ(b.take_due(t0 + 2s, limit).size(), 1u);
    b.add(host(2), t0 + 5s);
    b.add(host(3), t0 + 6s);
    EXPECT_EQ(b.next_flush(limit), t0 + 7s);
    EXPECT_EQ(b.take_due(t0 + 7s, limit).size(), 2u);
}

TEST(CandidateBatcher, GatheringCompleteFlushesAtOnceWithOneEndMarkerLast) {
    CandidateBatcher b;
    RateLimit limit;
    b.description_sent(t0);
    b.add(host(1), t0 + 100ms);
    b.add(host(2), t0 + 150ms);
    b.gathering_complete(t0 + 300ms);
    EXPECT_EQ(b.next_flush(limit), t0);  // not held back by the 2 s timer
    const auto batch = b.take_due(t0 + 300ms, limit);
    ASSERT_EQ(batch.size(), 3u);
    EXPECT_TRUE(batch.back().end_of_candidates());
    EXPECT_FALSE(batch[0].end_of_candidates());
    EXPECT_TRUE(b.finished());
    // Nothing after the marker: late candidates are dropped, no second marker.
    EXPECT_FALSE(b.add(host(3), t0 + 1s));
    b.gathering_complete(t0 + 1s);
    EXPECT_FALSE(b.next_flush(limit));
    EXPECT_TRUE(b.take_due(t0 + 60s, limit).empty());
}

TEST(CandidateBatcher, EndMarkerAloneWhenEverythingWasSent) {
    CandidateBatcher b;
    RateLimit limit;
    b.description_sent(t0);
    b.add(host(1), t0);
    ASSERT_EQ(b.take_due(t0 + 2s, limit).size(), 1u);
    b.add(Candidate::end_marker(), t0 + 3s);  // an end marker from ICE = gathering complete
    const auto batch = b.take_due(t0 + 3s, limit);
    ASSERT_EQ(batch.size(), 1u);
    EXPECT_TRUE(batch[0].end_of_candidates());
}

TEST(CandidateBatcher, GatheringDoneBeforeTheInviteGoesWithIt) {
    CandidateBatcher b;
    RateLimit limit;
    b.add(host(1), t0);
    b.gathering_complete(t0 + 100ms);
    EXPECT_FALSE(b.next_flush(limit));
    b.description_sent(t0 + 200ms);
    EXPECT_EQ(b.next_flush(limit), t0 + 200ms);
    EXPECT_EQ(b.take_due(t0 + 200ms, limit).size(), 2u);
}

TEST(CandidateBatcher, WaitsForTheRateLimitKeepingRoomForTheHangup) {
    CandidateBatcher b;
    RateLimit limit;
    for (int i = 0; i < 8; ++i) limit.record(t0);  // other calls used 8 of the burst
    b.description_sent(t0);
    b.add(host(1), t0);
    // Due at +2 s by timing, but level 8 - 0.4 = 7.6 leaves no room for 2 reserved events:
    // wait until the level is 7 (+5 s from t0).
    EXPECT_EQ(b.next_flush(limit), t0 + 5s);
    EXPECT_TRUE(b.take_due(t0 + 4s, limit).empty());
    EXPECT_EQ(b.take_due(t0 + 5s, limit).size(), 1u);
    // The end marker waits for the limit as well.
    b.gathering_complete(t0 + 5s);
    EXPECT_EQ(b.next_flush(limit), t0 + 10s);
}

TEST(CandidateBatcher, SplitsOverlongBatches) {
    CandidateBatcher b;
    RateLimit limit;
    b.description_sent(t0);
    for (std::size_t i = 0; i < kMaxCandidatesPerEvent + 10; ++i) b.add(host(static_cast<int>(i)), t0);
    b.gathering_complete(t0);
    const auto first = b.take_due(t0, limit);
    EXPECT_EQ(first.size(), kMaxCandidatesPerEvent);
    EXPECT_FALSE(first.back().end_of_candidates());
    const auto second = b.take_due(t0, limit);
    ASSERT_EQ(second.size(), 11u);
    EXPECT_TRUE(second.back().end_of_candidates());
}

// A whole caller leg: invite, 12 candidates trickled over 3 s, gathering done at 3.5 s,
// answer handled with select_answer, hangup. Never more than Synapse's burst allows.
TEST(CandidateBatcher, WholeCallStaysWithinSynapseLimit) {
    CandidateBatcher b;
    RateLimit limit;
    int events = 0;
    const auto send = [&](TimePoint now) {
        EXPECT_TRUE(limit.allows(now)) << "would get 429 at event " << events;
        limit.record(now);
        ++events;
    };
    send(t0);  // invite
    b.description_sent(t0);
    int candidate_events = 0;
    int markers = 0;
    for (auto now = t0; now <= t0 + 20s; now += 100ms) {
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - t0).count();
        if (ms < 3000 && ms % 250 == 0) b.add(host(static_cast<int>(ms)), now);
        if (ms == 3500) b.gathering_complete(now);
        if (ms == 4000) send(now);  // select_answer
        if (auto due = b.next_flush(limit); due && *due <= now) {
            // take_due records the event itself.
            EXPECT_TRUE(limit.allows(now));
            const auto batch = b.take_due(now, limit);
            ++candidate_events;
            ++events;
            for (const auto& c : batch) markers += c.end_of_candidates() ? 1 : 0;
        }
    }
    send(t0 + 20s);  // hangup
    EXPECT_EQ(markers, 1);
    EXPECT_TRUE(b.finished());
    EXPECT_LE(candidate_events, 3);
    EXPECT_LE(events, 10);
}

}  // namespace
}  // namespace switchboard::matrix
