/// \file json_util.hpp
/// \brief Typed reads of RapidJSON values that never assert: the CS API's answers and
/// other people's events are input, a wrong type is "absent".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

namespace switchboard::matrix::json {

/// The member `key` of `object`, or null when `object` is no object or lacks it.
const rapidjson::Value* member(const rapidjson::Value& object, const char* key);
std::optional<std::string> string(const rapidjson::Value& object, const char* key);
std::string string_or(const rapidjson::Value& object, const char* key, std::string_view fallback);
std::optional<std::int64_t> int_or(const rapidjson::Value& object, const char* key);
bool bool_or(const rapidjson::Value& object, const char* key, bool fallback);
/// The member as an object / array, or null.
const rapidjson::Value* object(const rapidjson::Value& object, const char* key);
const rapidjson::Value* array(const rapidjson::Value& object, const char* key);

/// Compact JSON text of a value.
std::string to_string(const rapidjson::Value& value);
/// A JSON string literal (quoted, escaped) of `text`.
std::string quote(std::string_view text);

}  // namespace switchboard::matrix::json
