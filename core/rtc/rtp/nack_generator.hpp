/// \file nack_generator.hpp
/// \brief Receive side of RFC 4585 generic NACK: tracks which sequence numbers are
/// missing and says which to request, and when.
///
/// A hole is requested at the next due() after it is seen, then again every
/// retry_interval_ms (about one RTT: sooner would ask before the retransmission could
/// arrive) up to max_retries times, then given up. Holes older than max_age_ms or
/// beyond max_missing are given up too; a jump larger than max_missing (a sender
/// restart, a long outage) clears the list and reports that a keyframe is the better
/// cure. Time is the caller's monotonic milliseconds. Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "rtc/rtp/unwrapper.hpp"

namespace switchboard::rtc::rtp {

struct NackConfig {
    std::int64_t retry_interval_ms = 100;
    int max_retries = 10;
    std::size_t max_missing = 1000;
    std::int64_t max_age_ms = 1000;
};

class NackGenerator {
public:
    explicit NackGenerator(NackConfig config = {}) noexcept : m_config(config) {}

    /// Records an arrival (new, reordered or retransmitted). Returns false when the
    /// gap it reveals is too large to NACK (request a keyframe instead).
    bool on_packet(std::uint16_t seq, std::int64_t now_ms);

    /// Sequence numbers to put in a NACK now, oldest first (RtcpNack compresses them).
    std::vector<std::uint16_t> due(std::int64_t now_ms);

    void set_retry_interval_ms(std::int64_t ms) noexcept { m_config.retry_interval_ms = ms; }
    std::size_t missing() const noexcept { return m_missing.size(); }
    /// Holes abandoned (retries, age or size exhausted).
    std::uint64_t given_up() const noexcept { return m_given_up; }

private:
    struct Hole {
        std::int64_t detected_ms;
        std::optional<std::int64_t> last_sent_ms;
        int retries = 0;
    };
    NackConfig m_config;
    SequenceUnwrapper m_unwrapper;
    std::optional<std::int64_t> m_newest;
    std::map<std::int64_t, Hole> m_missing;
    std::uint64_t m_given_up = 0;
};

}  // namespace switchboard::rtc::rtp
