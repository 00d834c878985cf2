#include "matrix_client/turn_server.hpp"

#include "matrix_client/json_util.hpp"

namespace switchboard::matrix {

TurnServer parse_turn_server(const rapidjson::Value& answer) {
    TurnServer out;
    if (const auto* uris = json::array(answer, "uris"))
        for (const auto& uri : uris->GetArray())
            if (uri.IsString() && uri.GetStringLength() > 0)
                out.uris.emplace_back(uri.GetString(), uri.GetStringLength());
    out.username = json::string_or(answer, "username", "");
    out.password = json::string_or(answer, "password", "");
    out.ttl = std::chrono::seconds(std::max<std::int64_t>(0, json::int_or(answer, "ttl").value_or(0)));
    return out;
}

void fetch_turn_server(ClientApi& api, std::function<void(Result<TurnServer>)> handler) {
    api.get("/voip/turnServer", {}, [handler = std::move(handler)](Result<rapidjson::Document> result) {
        if (!result) return handler(result.error());
        handler(parse_turn_server(result.value()));
    });
}

}  // namespace switchboard::matrix
