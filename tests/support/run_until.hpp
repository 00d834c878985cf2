/// \file run_until.hpp
/// \brief Runs an io_context on the test's thread until a condition holds or a deadline
/// passes: a wait on work, never a fixed sleep.
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>

#include <boost/asio/io_context.hpp>

namespace switchboard::test {

/// Whether `done()` held before `timeout` passed.
inline bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
                      std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline) return false;
        io.restart();  // after a run that found no work, run_one_for returns at once
        // Blocks until a handler ran or the slice ends.
        io.run_one_for(std::min<std::chrono::steady_clock::duration>(deadline - now, std::chrono::milliseconds(50)));
    }
    return true;
}

}  // namespace switchboard::test
