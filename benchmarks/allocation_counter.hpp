/// \file allocation_counter.hpp
/// \brief Counts heap allocations in this process (global operator new is replaced in
/// allocation_counter.cpp), so a benchmark can report allocations per frame.
#pragma once

#include <cstdint>

namespace switchboard::bench {

/// Allocations made by any thread since the process started.
std::uint64_t allocations() noexcept;

}  // namespace switchboard::bench
