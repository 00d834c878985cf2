#include "matrix_client/json_util.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace switchboard::matrix::json {

const rapidjson::Value* member(const rapidjson::Value& object, const char* key) {
    if (!object.IsObject()) return nullptr;
    auto it = object.FindMember(key);
    return it == object.MemberEnd() ? nullptr : &it->value;
}

std::optional<std::string> string(const rapidjson::Value& object, const char* key) {
    const auto* v = member(object, key);
    if (!v || !v->IsString()) return std::nullopt;
    return std::string(v->GetString(), v->GetStringLength());
}

std::string string_or(const rapidjson::Value& object, const char* key, std::string_view fallback) {
    auto s = string(object, key);
    return s ? *s : std::string(fallback);
}

std::optional<std::int64_t> int_or(const rapidjson::Value& object, const char* key) {
    const auto* v = member(object, key);
    if (!v || !v->IsInt64()) return std::nullopt;
    return v->GetInt64();
}

bool bool_or(const rapidjson::Value& object, const char* key, bool fallback) {
    const auto* v = member(object, key);
    return v && v->IsBool() ? v->GetBool() : fallback;
}

const rapidjson::Value* object(const rapidjson::Value& o, const char* key) {
    const auto* v = member(o, key);
    return v && v->IsObject() ? v : nullptr;
}

const rapidjson::Value* array(const rapidjson::Value& o, const char* key) {
    const auto* v = member(o, key);
    return v && v->IsArray() ? v : nullptr;
}

std::string to_string(const rapidjson::Value& value) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    value.Accept(writer);
    return std::string(buffer.GetString(), buffer.GetSize());
}

std::string quote(std::string_view text) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
    return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace switchboard::matrix::json
