/// \file ffmpeg.hpp
/// \brief The optional FFmpeg adapters in one include: for plugins that link FFmpeg.
///
/// Nothing else in the SDK includes this set, so plugins that do not use FFmpeg never
/// need its headers. What is here: RAII handles (handles.hpp), codec and time-base
/// mapping (codec.hpp), lending a Buffer to FFmpeg (buffer.hpp), and zero-copy
/// conversions between Frame and AVFrame (av_frame.hpp) or AVPacket (av_packet.hpp), FFmpeg's log level (log.hpp),
/// and the picture size a stream states in band (picture_size.hpp).
#pragma once

#include <switchboard/ffmpeg/av_frame.hpp>
#include <switchboard/ffmpeg/av_packet.hpp>
#include <switchboard/ffmpeg/buffer.hpp>
#include <switchboard/ffmpeg/codec.hpp>
#include <switchboard/ffmpeg/handles.hpp>
#include <switchboard/ffmpeg/log.hpp>
#include <switchboard/ffmpeg/picture_size.hpp>
