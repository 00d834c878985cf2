#include "config/json_text.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>

#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace switchboard::core {

TextPosition position_of(std::string_view text, std::size_t offset) {
    TextPosition pos;
    if (offset > text.size()) offset = text.size();
    for (std::size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++pos.line;
            pos.column = 1;
        } else {
            ++pos.column;
        }
    }
    return pos;
}

namespace {
/// Offset where nesting first exceeds max_json_depth, if it does (strings skipped).
std::optional<std::size_t> too_deep_at(std::string_view text) {
    std::size_t depth = 0;
    bool in_string = false, escaped = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max_json_depth) return i;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return std::nullopt;
}
}  // namespace

Result<void> parse_json(std::string_view text, std::string_view origin, rapidjson::Document& out) {
    if (auto at = too_deep_at(text)) {
        auto pos = position_of(text, *at);
        return Error::invalid(std::string(origin) + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column) +
                              ": nested deeper than " + std::to_string(max_json_depth) + " levels");
    }
    out.Parse(text.data(), text.size());
    if (!out.HasParseError()) return {};
    auto pos = position_of(text, out.GetErrorOffset());
    return Error::invalid(std::string(origin) + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column) +
                          ": " + rapidjson::GetParseError_En(out.GetParseError()));
}

Result<std::string> read_text_file(const std::string& path, std::size_t max_bytes) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error::invalid("cannot read '" + path + "': " + std::strerror(errno));
    std::string text;
    char chunk[8192];
    while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
        text.append(chunk, std::size_t(in.gcount()));
        if (text.size() > max_bytes)
            return Error::invalid("cannot read '" + path + "': larger than " + std::to_string(max_bytes) + " bytes");
    }
    if (in.bad()) return Error::invalid("cannot read '" + path + "': " + std::strerror(errno));
    return text;
}

std::string pointer_string(const rapidjson::Pointer& pointer) {
    rapidjson::StringBuffer buf;
    pointer.Stringify(buf);
    return buf.GetString();
}

std::string describe_value(const rapidjson::Value& value) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buf);
    value.Accept(writer);
    std::string text = buf.GetString();
    if (text.size() > 60) text = text.substr(0, 57) + "...";
    return text;
}

std::string_view json_type_name(const rapidjson::Value& value) {
    if (value.IsObject()) return "object";
    if (value.IsArray()) return "array";
    if (value.IsString()) return "string";
    if (value.IsBool()) return "boolean";
    if (value.IsNull()) return "null";
    if (value.IsInt64() || value.IsUint64()) return "integer";
    return "number";
}

}  // namespace switchboard::core
