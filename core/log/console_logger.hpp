/// \file console_logger.hpp
/// \brief The host's Logger: one line per event on stderr, with time, level and context.
///
///   2026-11-26T05:38:28.123Z info  [camera] started 1280x720@30
///
/// Thread-safe: lines from many threads never interleave. Contexts nest
/// ("graph camera", "call=abc"), and every logger made by with_context() shares one sink.
#pragma once

#include <atomic>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <switchboard/log.hpp>

namespace switchboard::core {

/// Parses "trace" ... "error".
std::optional<LogLevel> log_level_from_string(std::string_view name);

class ConsoleLogger final : public Logger {
public:
    /// A root logger writing to `out` (stderr by default) at `level` and above.
    explicit ConsoleLogger(LogLevel level = LogLevel::info, std::FILE* out = stderr);

    bool enabled(LogLevel level) const noexcept override;
    void write(LogLevel level, std::string_view message) noexcept override;
    std::shared_ptr<Logger> with_context(std::string_view context) const override;

    /// Changes the threshold for this logger and every logger sharing its sink.
    void set_level(LogLevel level) noexcept;

private:
    struct Sink {
        std::mutex mutex;
        std::FILE* out;
        std::atomic<LogLevel> level;
    };
    ConsoleLogger(std::shared_ptr<Sink> sink, std::string context);

    std::shared_ptr<Sink> m_sink;
    std::string m_context;
};

}  // namespace switchboard::core
