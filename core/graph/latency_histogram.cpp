#include "graph/latency_histogram.hpp"

#include <bit>

namespace switchboard::core {

int LatencyHistogram::bucket_of(std::uint64_t ns) noexcept {
    // Values below 2^sub_bits get one bucket each; above, the top sub_bits bits after the
    // leading one pick the sub-bucket of the octave.
    if (ns < (1u << sub_bits)) return int(ns);
    int msb = 63 - std::countl_zero(ns);
    int octave = msb - sub_bits + 1;
    if (octave > octaves) return buckets - 1;
    int sub = int((ns >> (msb - sub_bits)) & ((1u << sub_bits) - 1));
    return (octave << sub_bits) + sub;
}

std::int64_t LatencyHistogram::upper_edge(int bucket) noexcept {
    int octave = bucket >> sub_bits;
    int sub = bucket & ((1 << sub_bits) - 1);
    if (octave == 0) return sub;
    int shift = octave - 1;
    return ((std::int64_t(1) << sub_bits | sub) + 1) << shift;
}

void LatencyHistogram::record(std::int64_t ns) noexcept {
    if (ns < 0) ns = 0;
    m_counts[std::size_t(bucket_of(std::uint64_t(ns)))].fetch_add(1, std::memory_order_relaxed);
    auto seen = m_max.load(std::memory_order_relaxed);
    while (ns > seen && !m_max.compare_exchange_weak(seen, ns, std::memory_order_relaxed)) {
    }
}

std::uint64_t LatencyHistogram::count() const noexcept {
    std::uint64_t n = 0;
    for (const auto& c : m_counts) n += c.load(std::memory_order_relaxed);
    return n;
}

std::int64_t LatencyHistogram::quantile(double q) const noexcept {
    const auto total = count();
    if (total == 0) return 0;
    if (q < 0) q = 0;
    if (q > 1) q = 1;
    auto rank = std::uint64_t(q * double(total));
    if (rank >= total) rank = total - 1;
    std::uint64_t seen = 0;
    for (int b = 0; b < buckets; ++b) {
        seen += m_counts[std::size_t(b)].load(std::memory_order_relaxed);
        if (seen > rank) {
            if (b == buckets - 1) return max();  // the overflow bucket has no upper edge
            auto edge = upper_edge(b);
            auto mx = max();
            return edge < mx ? edge : mx;
        }
    }
    return max();
}

}  // namespace switchboard::core
