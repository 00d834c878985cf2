#include "config/substitution.hpp"

#include <cstdlib>
#include <filesystem>
#include <string_view>

#include "config/json_text.hpp"

namespace switchboard::core {

namespace {

/// ${file:...} holds a secret or a certificate, never a large file.
constexpr std::size_t max_secret_bytes = 1u << 20;

struct Substituter {
    rapidjson::Document& doc;
    std::string base_dir;
    Redactions redactions;

    /// Expands the references in `text`; `where` is its pointer, for errors.
    Result<std::string> expand(std::string_view text, const std::string& where) {
        std::string out;
        std::size_t pos = 0;
        while (true) {
            auto start = text.find("${", pos);
            if (start == std::string_view::npos) break;
            auto end = text.find('}', start);
            if (end == std::string_view::npos) break;
            auto ref = text.substr(start + 2, end - start - 2);
            out.append(text.substr(pos, start - pos));
            auto shown = "${" + std::string(ref) + "}";
            if (ref.starts_with("env:")) {
                std::string name(ref.substr(4));
                const char* value = name.empty() ? nullptr : std::getenv(name.c_str());
                if (!value)
                    return Error::invalid(where + ": " + shown + ": environment variable " + name + " is not set");
                out += value;
            } else if (ref.starts_with("file:")) {
                std::filesystem::path path(std::string(ref.substr(5)));
                if (path.is_relative()) path = std::filesystem::path(base_dir) / path;
                auto content = read_text_file(path.string(), max_secret_bytes);
                if (!content) return Error::invalid(where + ": " + shown + ": " + content.error().message);
                auto& s = content.value();
                if (!s.empty() && s.back() == '\n') s.pop_back();
                if (!s.empty() && s.back() == '\r') s.pop_back();
                out += s;
            } else {
                // Not ours: keep it verbatim.
                out.append(text.substr(start, end - start + 1));
            }
            pos = end + 1;
        }
        out.append(text.substr(pos));
        return out;
    }

    Result<void> walk(rapidjson::Value& value, const std::string& where) {
        if (value.IsString()) {
            std::string_view text(value.GetString(), value.GetStringLength());
            if (text.find("${") == std::string_view::npos) return {};
            auto expanded = expand(text, where.empty() ? "/" : where);
            if (!expanded) return expanded.error();
            if (std::string_view(expanded.value()) != text) {
                redactions[where] = std::string(text);
                value.SetString(expanded.value().data(), rapidjson::SizeType(expanded.value().size()),
                                doc.GetAllocator());
            }
        } else if (value.IsObject()) {
            for (auto& m : value.GetObject()) {
                std::string key(m.name.GetString(), m.name.GetStringLength());
                // RFC 6901 escaping of the key in the pointer.
                std::string escaped;
                for (char c : key) escaped += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
                if (auto r = walk(m.value, where + "/" + escaped); !r) return r;
            }
        } else if (value.IsArray()) {
            for (rapidjson::SizeType i = 0; i < value.Size(); ++i)
                if (auto r = walk(value[i], where + "/" + std::to_string(i)); !r) return r;
        }
        return {};
    }
};

}  // namespace

Result<Redactions> substitute_references(rapidjson::Document& doc, const std::string& base_dir) {
    Substituter s{doc, base_dir, {}};
    if (auto r = s.walk(doc, ""); !r) return r.error();
    return std::move(s.redactions);
}

}  // namespace switchboard::core
