#include "rtc/rtp/h264_packetizer.hpp"

#include <algorithm>

namespace switchboard::rtc::rtp {

std::vector<std::span<const std::uint8_t>> H264Packetizer::split_annex_b(std::span<const std::uint8_t> d) {
    std::vector<std::span<const std::uint8_t>> nals;
    const std::size_t n = d.size();
    std::size_t i = 0;
    std::optional<std::size_t> start;  // first byte of the NAL in progress
    const auto close = [&](std::size_t end) {
        if (!start) return;
        while (end > *start && d[end - 1] == 0) --end;  // zeros belong to the next start code
        if (end > *start) nals.push_back(d.subspan(*start, end - *start));
    };
    while (i + 2 < n) {
        if (d[i] == 0 && d[i + 1] == 0 && d[i + 2] == 1) {
            close(i);
            i += 3;
            start = i;
            continue;
        }
        // Skip fast: a start code needs a zero at i+2 if d[i+2] > 1.
        i += d[i + 2] > 1 ? 3 : 1;
    }
    close(n);
    return nals;
}

bool H264Packetizer::payloads(std::span<const std::uint8_t> frame, bool, std::vector<std::vector<std::uint8_t>>& out) {
    const auto nals = split_annex_b(frame);
    const std::size_t mtu = max_payload();
    std::size_t i = 0;
    while (i < nals.size()) {
        const auto nal = nals[i];
        if (nal.size() > mtu) {
            // FU-A (§5.8): indicator keeps F and NRI with type 28; the FU header carries
            // S/E and the original type; the NAL header byte itself is not sent.
            const std::uint8_t indicator = std::uint8_t((nal[0] & 0xe0) | 28);
            const std::uint8_t type = nal[0] & 0x1f;
            const auto body = nal.subspan(1);
            const auto sizes = full_chunks(body.size(), mtu - 2);
            std::size_t off = 0;
            for (std::size_t k = 0; k < sizes.size(); ++k) {
                std::vector<std::uint8_t> p;
                p.reserve(2 + sizes[k]);
                p.push_back(indicator);
                p.push_back(std::uint8_t((k == 0 ? 0x80 : 0) | (k + 1 == sizes.size() ? 0x40 : 0) | type));
                p.insert(p.end(), body.begin() + std::ptrdiff_t(off), body.begin() + std::ptrdiff_t(off + sizes[k]));
                off += sizes[k];
                out.push_back(std::move(p));
            }
            ++i;
            continue;
        }
        // Aggregate following NAL units while the STAP-A still fits (§5.7.1).
        std::size_t j = i + 1, size = 1 + 2 + nal.size();
        while (j < nals.size() && size + 2 + nals[j].size() <= mtu) size += 2 + nals[j++].size();
        if (j - i == 1) {
            out.emplace_back(nal.begin(), nal.end());
        } else {
            std::vector<std::uint8_t> p;
            p.reserve(size);
            // STAP-A header: F is the OR of the aggregated F bits, NRI their maximum (§5.7).
            std::uint8_t f = 0, nri = 0;
            for (std::size_t k = i; k < j; ++k) {
                f |= nals[k][0] & 0x80;
                nri = std::max<std::uint8_t>(nri, nals[k][0] & 0x60);
            }
            p.push_back(std::uint8_t(f | nri | 24));
            for (std::size_t k = i; k < j; ++k) {
                p.push_back(std::uint8_t(nals[k].size() >> 8));
                p.push_back(std::uint8_t(nals[k].size()));
                p.insert(p.end(), nals[k].begin(), nals[k].end());
            }
            out.push_back(std::move(p));
        }
        i = j;
    }
    return !out.empty();
}

}  // namespace switchboard::rtc::rtp
