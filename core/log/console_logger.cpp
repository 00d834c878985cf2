#include "log/console_logger.hpp"

#include <chrono>
#include <ctime>

namespace switchboard::core {

namespace {
const char* level_name(LogLevel level) {
    switch (level) {
        case LogLevel::trace:
            return "trace";
        case LogLevel::debug:
            return "debug";
        case LogLevel::info:
            return "info ";
        case LogLevel::warn:
            return "warn ";
        case LogLevel::error:
            return "error";
    }
    return "?    ";
}
}  // namespace

std::optional<LogLevel> log_level_from_string(std::string_view name) {
    if (name == "trace") return LogLevel::trace;
    if (name == "debug") return LogLevel::debug;
    if (name == "info") return LogLevel::info;
    if (name == "warn") return LogLevel::warn;
    if (name == "error") return LogLevel::error;
    return std::nullopt;
}

ConsoleLogger::ConsoleLogger(LogLevel level, std::FILE* out) : m_sink(std::make_shared<Sink>()) {
    m_sink->out = out;
    m_sink->level = level;
}

ConsoleLogger::ConsoleLogger(std::shared_ptr<Sink> sink, std::string context)
    : m_sink(std::move(sink)), m_context(std::move(context)) {}

bool ConsoleLogger::enabled(LogLevel level) const noexcept {
    return level >= m_sink->level.load(std::memory_order_relaxed);
}

void ConsoleLogger::set_level(LogLevel level) noexcept {
    m_sink->level.store(level, std::memory_order_relaxed);
}

void ConsoleLogger::write(LogLevel level, std::string_view message) noexcept {
    if (!enabled(level)) return;
    using namespace std::chrono;
    auto now = system_clock::now();
    auto t = system_clock::to_time_t(now);
    auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    std::lock_guard lock(m_sink->mutex);
    if (m_context.empty())
        std::fprintf(m_sink->out, "%s.%03dZ %s %.*s\n", stamp, int(ms), level_name(level), int(message.size()),
                     message.data());
    else
        std::fprintf(m_sink->out, "%s.%03dZ %s [%s] %.*s\n", stamp, int(ms), level_name(level), m_context.c_str(),
                     int(message.size()), message.data());
    std::fflush(m_sink->out);
}

std::shared_ptr<Logger> ConsoleLogger::with_context(std::string_view context) const {
    std::string joined = m_context.empty() ? std::string(context) : m_context + " " + std::string(context);
    return std::shared_ptr<Logger>(new ConsoleLogger(m_sink, std::move(joined)));
}

}  // namespace switchboard::core
