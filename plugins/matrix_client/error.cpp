#include "matrix_client/error.hpp"

namespace switchboard::matrix {

std::string Error::to_string() const {
    std::string out = endpoint.empty() ? std::string("matrix") : endpoint;
    out += ": ";
    switch (kind) {
        case ErrorKind::network:
            out += "network error";
            break;
        case ErrorKind::timeout:
            out += "timed out";
            break;
        case ErrorKind::http:
            out += "HTTP " + std::to_string(status);
            break;
        case ErrorKind::protocol:
            out += "bad answer";
            break;
        case ErrorKind::refused:
            out += "refused";
            break;
        case ErrorKind::io:
            out += "state file error";
            break;
    }
    if (!errcode.empty()) out += " " + errcode;
    if (!message.empty()) out += ": " + message;
    if (retry_after) out += " (retry after " + std::to_string(retry_after->count()) + " ms)";
    return out;
}

}  // namespace switchboard::matrix
