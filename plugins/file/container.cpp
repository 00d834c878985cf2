// Container choice and codec support; see container.hpp.
#include "container.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <stdexcept>

extern "C" {
#include <libavformat/avformat.h>
}

#include <switchboard/ffmpeg/codec.hpp>

namespace switchboard::file {

std::string_view to_string(Container c) noexcept {
    switch (c) {
        case Container::matroska:
            return "matroska";
        case Container::mp4:
            return "mp4";
        case Container::webm:
            return "webm";
    }
    return "?";
}

Container choose_container(std::string_view name, const std::string& path) {
    if (name == "matroska") return Container::matroska;
    if (name == "mp4") return Container::mp4;
    if (name == "webm") return Container::webm;
    if (name != "auto")
        throw std::invalid_argument("container: expected auto, matroska, mp4 or webm, found \"" + std::string(name) +
                                    "\"");

    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char ch) { return char(std::tolower(ch)); });
    if (ext == ".mkv" || ext == ".mka") return Container::matroska;
    if (ext == ".mp4" || ext == ".m4a" || ext == ".m4v" || ext == ".mov") return Container::mp4;
    if (ext == ".webm") return Container::webm;
    throw std::invalid_argument("container: \"auto\" cannot tell the container from the extension of '" + path +
                                "'; use .mkv, .mp4 or .webm, or set container to matroska, mp4 or webm");
}

const char* muxer_name(Container c) noexcept {
    switch (c) {
        case Container::matroska:
            return "matroska";
        case Container::mp4:
            return "mp4";
        case Container::webm:
            return "webm";
    }
    return nullptr;
}

bool can_hold(Container c, Codec codec) noexcept {
    const AVOutputFormat* format = av_guess_format(muxer_name(c), nullptr, nullptr);
    const AVCodecID id = ffmpeg::to_av_codec_id(codec);
    return format && id != AV_CODEC_ID_NONE && avformat_query_codec(format, id, FF_COMPLIANCE_NORMAL) == 1;
}

}  // namespace switchboard::file
