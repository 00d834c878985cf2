/// \file latency_histogram.hpp
/// \brief A lock-free log-linear histogram of durations in nanoseconds.
///
/// Each power of two is split into 16 linear sub-buckets, so a quantile is known to
/// within ~6 %, from 1 ns to ~9 s, in a fixed 1 KiB of counters. Recording is one
/// relaxed atomic increment, safe from any thread; reading is approximate while writers
/// run, exact after.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

namespace switchboard::core {

/// A histogram read out: what reports print.
struct LatencySummary {
    std::uint64_t count = 0;
    std::int64_t p50_ns = 0;
    std::int64_t p99_ns = 0;
    std::int64_t max_ns = 0;
};

class LatencyHistogram {
public:
    /// Adds one sample. Negative values count as 0.
    void record(std::int64_t ns) noexcept;

    std::uint64_t count() const noexcept;
    /// The value below which a fraction `q` (0..1) of the samples lie, in ns; 0 if empty.
    /// Reports the upper edge of the bucket, so it never understates.
    std::int64_t quantile(double q) const noexcept;
    std::int64_t max() const noexcept { return m_max.load(std::memory_order_relaxed); }
    LatencySummary summary() const noexcept { return {count(), quantile(0.50), quantile(0.99), max()}; }

private:
    static constexpr int sub_bits = 4;
    static constexpr int octaves = 34;  // 2^34 ns ~ 17 s; larger values land in the last bucket
    static constexpr int buckets = (octaves + 1) << sub_bits;

    static int bucket_of(std::uint64_t ns) noexcept;
    static std::int64_t upper_edge(int bucket) noexcept;

    std::array<std::atomic<std::uint64_t>, buckets> m_counts{};
    std::atomic<std::int64_t> m_max{0};
};

}  // namespace switchboard::core
