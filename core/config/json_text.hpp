/// \file json_text.hpp
/// \brief Reading JSON text into a RapidJSON document, with errors a person can act on.
///
/// RapidJSON reports a parse error as a byte offset; this turns it into the line and
/// column an editor shows ("demo.json:12:5: Missing a comma or '}' after an object
/// member."). Also the JSON-pointer helpers every config error uses.
#pragma once

#include <string>
#include <string_view>

#include <rapidjson/document.h>
#include <rapidjson/pointer.h>

#include <switchboard/errors.hpp>

namespace switchboard::core {

/// Line and column (both from 1) of byte `offset` in `text`; columns count bytes.
struct TextPosition {
    std::size_t line = 1;
    std::size_t column = 1;
};
TextPosition position_of(std::string_view text, std::size_t offset);

/// Deepest nesting of arrays and objects accepted: RapidJSON's validator and writer
/// recurse, and no config needs more.
inline constexpr std::size_t max_json_depth = 64;

/// Parses `text` into `out`. On error: Error::invalid("<origin>:<line>:<col>: <reason>").
Result<void> parse_json(std::string_view text, std::string_view origin, rapidjson::Document& out);

/// Reads the whole file at `path`, refusing more than `max_bytes` (a config naming
/// /dev/zero must not hang us); Error::invalid naming the path and the reason.
Result<std::string> read_text_file(const std::string& path, std::size_t max_bytes = 16u << 20);

/// "/nodes/2/config" for a RapidJSON pointer; "" for the root.
std::string pointer_string(const rapidjson::Pointer& pointer);

/// A short JSON rendering of a value for messages: strings quoted, long text cut.
std::string describe_value(const rapidjson::Value& value);

/// "object", "array", "string", "integer", "number", "boolean" or "null".
std::string_view json_type_name(const rapidjson::Value& value);

}  // namespace switchboard::core
