/// \file h264_slices.hpp
/// \brief Fingerprints of an H264 stream's slices, to show that a passthrough delivered
/// what the encoder made, byte for byte.
#pragma once

#include <string>
#include <vector>

namespace switchboard::test {

/// The H264 slice NAL units (types 1 and 5) of an Annex B stream, start codes stripped
/// (3- or 4-byte), each as a SHA-256.
std::vector<std::string> h264_slice_hashes(const std::string& annexb);

/// True when `received` is, in order, a contiguous run of `sent` (a viewer that joined
/// late and left early). Every start is tried: a static picture makes identical slices.
bool is_run_of(const std::vector<std::string>& sent, const std::vector<std::string>& received);

}  // namespace switchboard::test
