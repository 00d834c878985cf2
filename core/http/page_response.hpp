/// \file page_response.hpp
/// \brief The answer to a request for a built-in HTML page (the WHEP viewer, the TV page):
/// GET and HEAD get the page, never cached (a page may carry state in its query); any
/// other method gets 405 with Allow.
#pragma once

#include <string_view>

#include "http/http_connection.hpp"

namespace switchboard::http {

Response page_response(const Request& request, std::string_view html);

}  // namespace switchboard::http
