#include "config/json_text.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

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

Result<void> parse_json(std::string_view text, std::string_view origin, rapidjson::Document& out) {
    out.Parse(text.data(), text.size());
    if (!out.HasParseError()) return {};
    auto pos = position_of(text, out.GetErrorOffset());
    return Error::invalid(std::string(origin) + ":" + std::to_string(pos.line) + ":" +
                          std::to_string(pos.column) + ": " +
                          rapidjson::GetParseError_En(out.GetParseError()));
}

Result<std::string> read_text_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error::invalid("cannot read '" + path + "': " + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) return Error::invalid("cannot read '" + path + "': " + std::strerror(errno));
    return text.str();
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
