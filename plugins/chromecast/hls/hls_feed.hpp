// TEMPORARY placeholder until the hlsfeed branch merges (not to be committed).
#pragma once
#include <memory>
#include <boost/asio/any_io_executor.hpp>
#include <switchboard/frame.hpp>
#include <switchboard/log.hpp>
#include "hls/fragmenter.hpp"
#include "hls/hls_stream.hpp"
namespace switchboard::hls {
class HlsFeed {
public:
    HlsFeed(boost::asio::any_io_executor, std::shared_ptr<HlsStream>, FragmenterSettings, Logger&) {}
    void set_audio_format(const Format&) {}
    Result<void> push_video(const Frame&) { return {}; }
    Result<void> push_audio(const Frame&) { return {}; }
    void finish() {}
};
}
