/// \file gather_list.hpp
/// \brief Byte ranges to concatenate into one Buffer, so a depacketizer allocates and
/// copies a frame once, whatever number of packets and fragments it came in.
///
/// The ranges are not owned: they point into the packets (and small side buffers) that
/// outlive join().
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include <switchboard/frame.hpp>

namespace switchboard::rtc::rtp {

/// The 4-byte Annex B start code (H.264 / H.265 Annex B) put before each NAL unit.
inline constexpr std::uint8_t annex_b_start_code[4] = {0, 0, 0, 1};

class GatherList {
public:
    void reserve(std::size_t ranges) { m_spans.reserve(ranges); }
    void add(std::span<const std::uint8_t> s) {
        m_spans.push_back(s);
        m_size += s.size();
    }
    /// A start code, then `nal`.
    void add_nal(std::span<const std::uint8_t> nal) {
        add(annex_b_start_code);
        add(nal);
    }
    std::size_t size() const noexcept { return m_size; }
    bool empty() const noexcept { return m_size == 0; }

    /// The ranges, concatenated; empty when the allocation fails.
    Buffer join() const {
        Buffer b = Buffer::allocate(m_size);
        std::uint8_t* w = b.mutable_data();
        if (!w) return {};
        for (const auto& s : m_spans) {
            if (!s.empty()) std::memcpy(w, s.data(), s.size());
            w += s.size();
        }
        return b;
    }

private:
    std::vector<std::span<const std::uint8_t>> m_spans;
    std::size_t m_size = 0;
};

}  // namespace switchboard::rtc::rtp
