#include "rtc/rtp/vp8_packetizer.hpp"

#include "rtc/rtp/vp8_payload_descriptor.hpp"

namespace switchboard::rtc::rtp {

bool Vp8Packetizer::payloads(std::span<const std::uint8_t> frame, bool, std::vector<std::vector<std::uint8_t>>& out) {
    constexpr std::size_t descriptor_size = 4;  // byte 0, X byte, 2-byte PictureID
    const auto sizes = full_chunks(frame.size(), max_payload() - descriptor_size);
    std::size_t off = 0;
    for (std::size_t k = 0; k < sizes.size(); ++k) {
        Vp8PayloadDescriptor d;
        d.start_of_partition = k == 0;
        d.picture_id = m_picture_id;
        d.picture_id_15bit = true;
        std::vector<std::uint8_t> p;
        p.reserve(descriptor_size + sizes[k]);
        d.write(p);
        p.insert(p.end(), frame.begin() + std::ptrdiff_t(off), frame.begin() + std::ptrdiff_t(off + sizes[k]));
        off += sizes[k];
        out.push_back(std::move(p));
    }
    m_picture_id = std::uint16_t((m_picture_id + 1) & 0x7fff);
    return !out.empty();
}

}  // namespace switchboard::rtc::rtp
