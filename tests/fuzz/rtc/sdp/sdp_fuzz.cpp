// A session description from a peer: parse; when it parses, the written text must
// parse to the same description and write the same text (round trips are exact), and
// answering it must not crash; nor must reading each codec's out-of-band configuration
// (a camera's fmtp) and making its depacketizer. Must never crash, hang or leak,
// whatever the bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "rtc/sdp/answer_builder.hpp"
#include "rtc/sdp/codec_config.hpp"
#include "rtc/sdp/depacketizer_factory.hpp"
#include "rtc/sdp/session_description.hpp"

namespace sdp = switchboard::rtc::sdp;

namespace {
sdp::AnswerOptions answer_options() {
    using switchboard::Codec;
    using switchboard::Format;
    using switchboard::MediaKind;
    sdp::AnswerOptions o;
    o.transport.ice_ufrag = "fuzz";
    o.transport.ice_pwd = "fuzzfuzzfuzzfuzzfuzzfuzz";
    o.transport.fingerprint = {"sha-256", std::vector<std::uint8_t>(32, 0xab)};
    Format opus{MediaKind::audio, Codec::opus};
    Format h264{MediaKind::video, Codec::h264};
    h264.profile_level_id = 0x42e01f;
    h264.packetization_mode = 1;
    Format vp8{MediaKind::video, Codec::vp8};
    o.audio.formats = {opus, Format{MediaKind::audio, Codec::pcmu}};
    o.video.formats = {h264, vp8, Format{MediaKind::video, Codec::vp9}};
    o.audio.track = sdp::LocalTrack{"s", "a", "c", 1, std::nullopt};
    o.video.track = sdp::LocalTrack{"s", "v", "c", 2, 3};
    return o;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto parsed = sdp::SessionDescription::parse(text);
    if (!parsed) return 0;
    const auto written = parsed->to_string();
    auto again = sdp::SessionDescription::parse(written);
    if (!again || !(again.value() == parsed.value()) || again->to_string() != written) std::abort();

    for (const auto& m : parsed->media)
        for (const auto& c : sdp::rtp_codecs(m)) {
            (void)c.format();
            (void)sdp::h264_parameter_sets(c);
            (void)sdp::h265_parameter_sets(c);
            (void)sdp::aac_payload_config(c);
            (void)sdp::make_depacketizer(c);
        }

    static const auto options = answer_options();
    if (auto answer = sdp::build_answer(parsed.value(), options)) {
        auto reparsed = sdp::SessionDescription::parse(answer->to_string());
        if (!reparsed) std::abort();
    }
    return 0;
}
