#include "rtc/rtp/send_rate_control.hpp"

#include <algorithm>

namespace switchboard::rtc::rtp {

std::uint64_t SendRateControl::on_remb(std::uint64_t bps) noexcept {
    m_remb = bps;
    // The first REMB is the start; later ones only cap what loss allows.
    m_loss_based = m_loss_based == 0 ? bps : std::min(m_loss_based, bps);
    return target();
}

std::uint64_t SendRateControl::on_loss(std::uint8_t fraction_lost) noexcept {
    if (m_remb == 0) return 0;
    const double loss = fraction_lost / 256.0;
    if (loss > 0.10)
        m_loss_based = std::max(min_bps, std::uint64_t(double(m_loss_based) * (1 - loss / 2)));
    else if (loss < 0.02)
        m_loss_based = std::min(m_remb, std::uint64_t(double(m_loss_based) * 1.05));
    return target();
}

}  // namespace switchboard::rtc::rtp
