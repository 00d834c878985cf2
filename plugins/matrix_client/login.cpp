#include "matrix_client/login.hpp"

#include <optional>
#include <utility>

#include "matrix_client/json_util.hpp"

namespace switchboard::matrix {

namespace {

/// "@camgw:server" stays, "camgw" stays: both are what m.id.user accepts.
bool same_user(const std::string& configured, const std::string& user_id) {
    if (configured == user_id) return true;
    return user_id.size() > configured.size() + 1 && user_id[0] == '@' &&
           user_id.compare(1, configured.size(), configured) == 0 && user_id[configured.size() + 1] == ':';
}

struct SignIn : std::enable_shared_from_this<SignIn> {
    ClientApi& api;
    const SessionStore& store;
    std::string homeserver;
    Credentials credentials;
    std::shared_ptr<Logger> log;
    std::function<void(Result<SessionState>)> handler;
    std::optional<SessionState> stored;

    SignIn(ClientApi& a, const SessionStore& s, std::string h, Credentials c, std::shared_ptr<Logger> l,
           std::function<void(Result<SessionState>)> done)
        : api(a),
          store(s),
          homeserver(std::move(h)),
          credentials(std::move(c)),
          log(std::move(l)),
          handler(std::move(done)) {}

    void start() {
        auto loaded = store.load();
        if (!loaded) return handler(loaded.error());
        stored = std::move(loaded.value());
        if (stored && (stored->homeserver != homeserver || !same_user(credentials.user, stored->user_id) ||
                       (!credentials.access_token.empty() && stored->access_token != credentials.access_token))) {
            SWITCHBOARD_LOG(*log, info, "matrix: the stored session is for another account or server; signing in anew");
            stored.reset();
        }
        if (stored && !stored->access_token.empty()) {
            api.set_access_token(stored->access_token);
            return check_stored();
        }
        if (!credentials.access_token.empty()) return use_token();
        password_login();
    }

    void check_stored() {
        whoami(api, [self = shared_from_this()](Result<WhoAmI> who) {
            if (!who) {
                if (who.error().unknown_token() && !self->credentials.password.empty()) {
                    SWITCHBOARD_LOG(*self->log, info,
                                    "matrix: the stored access token is no longer valid; logging in again as device "
                                        << self->stored->device_id);
                    return self->password_login();
                }
                return self->handler(who.error());
            }
            SessionState state = *self->stored;
            SWITCHBOARD_LOG(*self->log, info,
                            "matrix: resumed session of " << state.user_id << " device " << state.device_id);
            self->finish(std::move(state));
        });
    }

    void use_token() {
        api.set_access_token(credentials.access_token);
        whoami(api, [self = shared_from_this()](Result<WhoAmI> who) {
            if (!who) return self->handler(who.error());
            SessionState state;
            state.homeserver = self->homeserver;
            state.user_id = who.value().user_id;
            state.device_id = who.value().device_id.empty() ? self->credentials.device_id : who.value().device_id;
            state.access_token = self->credentials.access_token;
            if (state.device_id.empty())
                return self->handler(Error{ErrorKind::protocol,
                                           "GET /account/whoami",
                                           200,
                                           {},
                                           "the server names no device for this token; configure device_id"});
            SWITCHBOARD_LOG(*self->log, info,
                            "matrix: signed in with a token as " << state.user_id << " device " << state.device_id);
            self->finish(std::move(state));
        });
    }

    void password_login() {
        if (credentials.password.empty())
            return handler(Error{ErrorKind::refused, "POST /login", 0, {}, "no password and no valid access token"});
        Credentials c = credentials;
        if (c.device_id.empty() && stored) c.device_id = stored->device_id;  // keep the device across logins
        std::string next_batch = stored ? stored->next_batch : std::string();
        login_password(api, c, [self = shared_from_this(), next_batch](Result<SessionState> result) {
            if (!result) return self->handler(result.error());
            SessionState state = std::move(result.value());
            state.homeserver = self->homeserver;
            // The same device keeps its place in the stream: no old events again.
            if (self->stored && self->stored->device_id == state.device_id) state.next_batch = next_batch;
            SWITCHBOARD_LOG(*self->log, info,
                            "matrix: logged in as " << state.user_id << " device " << state.device_id);
            self->api.set_access_token(state.access_token);
            self->finish(std::move(state));
        });
    }

    void finish(SessionState state) {
        if (auto saved = store.save(state); !saved) return handler(saved.error());
        handler(std::move(state));
    }
};

}  // namespace

void login_password(ClientApi& api, const Credentials& c, std::function<void(Result<SessionState>)> handler) {
    std::string body =
        "{\"type\":\"m.login.password\",\"identifier\":{\"type\":\"m.id.user\",\"user\":" + json::quote(c.user) +
        "},\"password\":" + json::quote(c.password) +
        ",\"initial_device_display_name\":" + json::quote(c.device_display_name);
    if (!c.device_id.empty()) body += ",\"device_id\":" + json::quote(c.device_id);
    body += "}";
    api.post("/login", std::move(body), [handler = std::move(handler)](Result<rapidjson::Document> result) {
        if (!result) return handler(result.error());
        const auto& doc = result.value();
        SessionState state;
        state.user_id = json::string_or(doc, "user_id", "");
        state.device_id = json::string_or(doc, "device_id", "");
        state.access_token = json::string_or(doc, "access_token", "");
        if (state.user_id.empty() || state.device_id.empty() || state.access_token.empty())
            return handler(Error{
                ErrorKind::protocol, "POST /login", 200, {}, "the answer lacks user_id, device_id or access_token"});
        handler(std::move(state));
    });
}

void whoami(ClientApi& api, std::function<void(Result<WhoAmI>)> handler) {
    api.get("/account/whoami", {}, [handler = std::move(handler)](Result<rapidjson::Document> result) {
        if (!result) return handler(result.error());
        WhoAmI who{json::string_or(result.value(), "user_id", ""), json::string_or(result.value(), "device_id", "")};
        if (who.user_id.empty())
            return handler(Error{ErrorKind::protocol, "GET /account/whoami", 200, {}, "the answer has no user_id"});
        handler(std::move(who));
    });
}

void sign_in(ClientApi& api, const SessionStore& store, const std::string& homeserver, Credentials credentials,
             std::shared_ptr<Logger> log, std::function<void(Result<SessionState>)> handler) {
    std::make_shared<SignIn>(api, store, homeserver, std::move(credentials), std::move(log), std::move(handler))
        ->start();
}

}  // namespace switchboard::matrix
