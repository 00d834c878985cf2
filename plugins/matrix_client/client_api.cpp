#include "matrix_client/client_api.hpp"

#include <utility>

#include "matrix_client/json_util.hpp"

namespace switchboard::matrix {

namespace http = boost::beast::http;

ClientApi::ClientApi(std::shared_ptr<HttpClient> http) : m_http(std::move(http)) {}

std::string api_path(std::initializer_list<std::string_view> segments) {
    std::string out;
    for (auto segment : segments) {
        out += '/';
        out += url_encode(segment);
    }
    return out;
}

Error error_from_response(const std::string& endpoint, const HttpResponse& response) {
    Error error{ErrorKind::http, endpoint, static_cast<int>(response.status), {}, {}};
    rapidjson::Document body;
    body.Parse(response.body.data(), response.body.size());
    if (!body.HasParseError() && body.IsObject()) {
        error.errcode = json::string_or(body, "errcode", "");
        error.message = json::string_or(body, "error", "");
        if (auto ms = json::int_or(body, "retry_after_ms"); ms && *ms >= 0)
            error.retry_after = std::chrono::milliseconds(*ms);
        error.soft_logout = json::bool_or(body, "soft_logout", false);
    } else {
        error.message = response.body.substr(0, 200);
    }
    if (response.retry_after) error.retry_after = response.retry_after;
    return error;
}

PendingRequest ClientApi::call_text(http::verb method, std::string path, std::string query, std::string body,
                                    std::chrono::milliseconds timeout, TextHandler handler) {
    HttpRequest request;
    request.method = method;
    request.target = "/_matrix/client/v3" + path;
    std::string endpoint = endpoint_of(method, request.target);
    if (!query.empty()) request.target += "?" + query;
    request.body = std::move(body);
    request.bearer_token = m_token;
    request.timeout = timeout;
    return m_http->request(std::move(request),
                           [endpoint = std::move(endpoint), handler = std::move(handler)](Result<HttpResponse> result) {
                               if (!result) return handler(result.error());
                               auto& response = result.value();
                               if (response.status < 200 || response.status >= 300)
                                   return handler(error_from_response(endpoint, response));
                               handler(std::move(response.body));
                           });
}

void ClientApi::call(http::verb method, std::string path, std::string query, std::string body,
                     std::chrono::milliseconds timeout, JsonHandler handler) {
    std::string endpoint = endpoint_of(method, "/_matrix/client/v3" + path);
    call_text(method, std::move(path), std::move(query), std::move(body), timeout,
              [endpoint = std::move(endpoint), handler = std::move(handler)](Result<std::string> result) {
                  if (!result) return handler(result.error());
                  rapidjson::Document document;
                  document.Parse(result.value().data(), result.value().size());
                  if (document.HasParseError())
                      return handler(Error{ErrorKind::protocol, endpoint, 200, {}, "the answer is not JSON"});
                  handler(std::move(document));
              });
}

}  // namespace switchboard::matrix
