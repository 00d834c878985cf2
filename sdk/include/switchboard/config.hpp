/// \file config.hpp
/// \brief Typed, read-only access to a node's JSON config.
///
/// By the time a node sees its config, the host has substituted ${env:...} and
/// ${file:...} and validated the object against the node type's JSON Schema, so a
/// getter only meets what the schema allows: declare defaults in the schema or pass them
/// here. The view borrows the host's document: valid for the duration of the factory
/// call only; copy what you need.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include <switchboard/abi.hpp>

namespace switchboard {

class NodeConfig {
public:
    /// `json` is the node's "config" object; `pointer` its JSON pointer in the file
    /// ("/nodes/2/config"), for error messages.
    NodeConfig(const rapidjson::Value& json, std::string pointer) : m_json(json), m_pointer(std::move(pointer)) {}

    const rapidjson::Value& json() const noexcept { return m_json; }
    const std::string& pointer() const noexcept { return m_pointer; }

    bool has(std::string_view key) const noexcept { return find(key) != nullptr; }

    std::optional<std::string> string(std::string_view key) const {
        auto* v = find(key);
        if (!v || !v->IsString()) return std::nullopt;
        return std::string(v->GetString(), v->GetStringLength());
    }
    std::optional<std::int64_t> integer(std::string_view key) const {
        auto* v = find(key);
        if (!v || !v->IsInt64()) return std::nullopt;
        return v->GetInt64();
    }
    std::optional<double> number(std::string_view key) const {
        auto* v = find(key);
        if (!v || !v->IsNumber()) return std::nullopt;
        return v->GetDouble();
    }
    std::optional<bool> boolean(std::string_view key) const {
        auto* v = find(key);
        if (!v || !v->IsBool()) return std::nullopt;
        return v->GetBool();
    }

    std::string string_or(std::string_view key, std::string fallback) const {
        return string(key).value_or(std::move(fallback));
    }
    std::int64_t integer_or(std::string_view key, std::int64_t fallback) const {
        return integer(key).value_or(fallback);
    }
    double number_or(std::string_view key, double fallback) const { return number(key).value_or(fallback); }
    bool boolean_or(std::string_view key, bool fallback) const { return boolean(key).value_or(fallback); }

    /// "/nodes/2/config/width": where `key` lives, for error messages.
    std::string pointer_to(std::string_view key) const { return m_pointer + "/" + std::string(key); }

private:
    const rapidjson::Value* find(std::string_view key) const noexcept {
        if (!m_json.IsObject()) return nullptr;
        auto it =
            m_json.FindMember(rapidjson::Value(rapidjson::StringRef(key.data(), rapidjson::SizeType(key.size()))));
        return it == m_json.MemberEnd() ? nullptr : &it->value;
    }

    const rapidjson::Value& m_json;
    std::string m_pointer;
};

}  // namespace switchboard
