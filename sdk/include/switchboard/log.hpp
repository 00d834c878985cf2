/// \file log.hpp
/// \brief Logging: one line per event, with the node (and call) it belongs to.
///
/// The host gives every node a Logger whose lines already carry the node's name; a call
/// adds its call id through with_context(). Loggers are thread-safe. Never log secrets:
/// configs hold them as ${env:...} / ${file:...} and the host never prints substituted
/// values.
#pragma once

#include <memory>
#include <sstream>
#include <string>
#include <string_view>

#include <switchboard/abi.hpp>

namespace switchboard {

enum class LogLevel { trace, debug, info, warn, error };

/// Writes log lines. Implemented by the host; any thread.
class SWITCHBOARD_INTERFACE Logger {
public:
    virtual ~Logger() = default;

    /// True when lines of `level` are written; check it before building expensive text.
    virtual bool enabled(LogLevel level) const noexcept = 0;
    /// Writes one line. `message` has no trailing newline.
    virtual void write(LogLevel level, std::string_view message) noexcept = 0;
    /// A logger whose lines also carry `context` (e.g. "call=abc123"); it shares the sink.
    virtual std::shared_ptr<Logger> with_context(std::string_view context) const = 0;

    void trace(std::string_view m) noexcept { write(LogLevel::trace, m); }
    void debug(std::string_view m) noexcept { write(LogLevel::debug, m); }
    void info(std::string_view m) noexcept { write(LogLevel::info, m); }
    void warn(std::string_view m) noexcept { write(LogLevel::warn, m); }
    void error(std::string_view m) noexcept { write(LogLevel::error, m); }
};

}  // namespace switchboard

/// Streams `expr` into a line when `level` is enabled:
///   SWITCHBOARD_LOG(ctx.log(), info, "opened " << path << " at " << rate << " fps");
#define SWITCHBOARD_LOG(logger, level, expr)                                  \
    do {                                                                      \
        auto& sb_logger_ = (logger);                                          \
        if (sb_logger_.enabled(::switchboard::LogLevel::level)) {             \
            std::ostringstream sb_line_;                                      \
            sb_line_ << expr;                                                 \
            sb_logger_.write(::switchboard::LogLevel::level, sb_line_.str()); \
        }                                                                     \
    } while (0)
