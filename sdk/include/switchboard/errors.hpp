/// \file errors.hpp
/// \brief Errors and the small Result<T> type used across the plugin boundary.
///
/// Exceptions never cross a shared-object boundary in Switchboard: every function the
/// host calls in a plugin is noexcept or returns a Result. The error kinds keep apart who
/// is at fault, which decides the exit code and the log level:
///  - invalid: bad input from a config, a user or the network (exit 2 at load time);
///  - unavailable: a resource that is missing or down (a file, a device, a peer), or busy;
///  - not_found: the thing asked for does not exist (a call id, a room);
///  - runtime: something failed while running (exit 1).
/// (Not std::expected: clang 14 cannot use libstdc++ 12's.)
#pragma once

#include <string>
#include <utility>
#include <variant>

#include <switchboard/abi.hpp>

namespace switchboard {

/// Who is at fault; see the file comment.
enum class ErrorKind { invalid, unavailable, not_found, runtime };

/// An error with a message that carries its context (node, port, JSON pointer, path).
struct Error {
    ErrorKind kind = ErrorKind::runtime;
    std::string message;

    static Error invalid(std::string message) { return {ErrorKind::invalid, std::move(message)}; }
    static Error unavailable(std::string message) { return {ErrorKind::unavailable, std::move(message)}; }
    static Error not_found(std::string message) { return {ErrorKind::not_found, std::move(message)}; }
    static Error runtime(std::string message) { return {ErrorKind::runtime, std::move(message)}; }
};

/// A value or an Error. Construct from either; test with ok() or operator bool.
template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_state(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_state(std::in_place_index<1>, std::move(error)) {}

    bool ok() const noexcept { return m_state.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    /// The value; only when ok().
    T& value() & { return std::get<0>(m_state); }
    const T& value() const& { return std::get<0>(m_state); }
    T&& value() && { return std::get<0>(std::move(m_state)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    /// The error; only when !ok().
    const Error& error() const { return std::get<1>(m_state); }

private:
    std::variant<T, Error> m_state;
};

/// Success without a value, or an Error.
template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_failed(true) {}

    bool ok() const noexcept { return !m_failed; }
    explicit operator bool() const noexcept { return ok(); }
    const Error& error() const { return m_error; }

private:
    Error m_error;
    bool m_failed = false;
};

}  // namespace switchboard
