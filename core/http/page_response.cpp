// Built-in pages; see page_response.hpp.
#include "http/page_response.hpp"

namespace switchboard::http {

Response page_response(const Request& request, std::string_view html) {
    const auto method = request.method();
    if (method != verb::get && method != verb::head) {
        Response r{status::method_not_allowed, request.version()};
        r.set(field::allow, "GET, HEAD");
        r.set(field::content_type, "text/plain; charset=utf-8");
        r.body() = "method not allowed; allowed: GET, HEAD\n";
        return r;
    }
    Response r{status::ok, request.version()};
    r.set(field::content_type, "text/html; charset=utf-8");
    r.set(field::cache_control, "no-store");
    r.body() = std::string(html);
    if (method == verb::head) {
        r.content_length(r.body().size());
        r.body().clear();
    }
    return r;
}

}  // namespace switchboard::http
