/// \file send_rate_control.hpp
/// \brief The rate we may send video at: the peer's delay-based estimate (REMB), lowered
/// when its receiver reports show loss (the loss-based half of Google Congestion Control,
/// draft-ietf-rmcat-gcc-02 §6).
///
/// REMB alone fails on a bottleneck whose queue is already full: a pinned queue shows the
/// receiver no delay gradient, only loss, so its estimate climbs to 1.5 × what arrives while
/// half of what we send is dropped. Each report for the video SSRC moves the loss-based
/// rate As: over 10 % lost, As × (1 − loss / 2); under 2 %, As × 1.05; in between it holds.
/// The target is min(As, REMB), and As never rests above the REMB, so that a climb in
/// quiet times cannot leave it far above the path when loss returns. Not thread-safe.
#pragma once

#include <cstdint>

namespace switchboard::rtc::rtp {

class SendRateControl {
public:
    /// Loss never takes the rate below this: a one-way outage reports all lost, and the
    /// climb back is 5 % a report.
    static constexpr std::uint64_t min_bps = 30'000;

    /// A REMB arrived. Returns the new target.
    std::uint64_t on_remb(std::uint64_t bps) noexcept;
    /// A receiver report block about our video arrived (`fraction_lost` in 1/256, as in
    /// RFC 3550). Returns the new target; 0 while no REMB has given a start.
    std::uint64_t on_loss(std::uint8_t fraction_lost) noexcept;
    /// min(loss-based rate, REMB); 0 before the first REMB.
    std::uint64_t target() const noexcept { return m_loss_based < m_remb ? m_loss_based : m_remb; }

private:
    std::uint64_t m_remb = 0;
    std::uint64_t m_loss_based = 0;
};

}  // namespace switchboard::rtc::rtp
