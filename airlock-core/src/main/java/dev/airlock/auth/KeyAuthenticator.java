package dev.airlock.auth;

import dev.airlock.decision.Principal;
import dev.airlock.decision.Stop;
import dev.airlock.pipeline.Authenticate;
import java.time.Clock;
import org.jspecify.annotations.Nullable;

/** Authenticates {@code ak_<id>_<secret>} keys against a {@link KeyStore}. */
final class KeyAuthenticator implements Authenticate {
    private final KeyStore keys;
    private final Clock clock;

    KeyAuthenticator(KeyStore keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    @Override
    public Principal authenticate(@Nullable String credentials) {
        if (credentials == null || credentials.isBlank()) {
            throw unauthorized(
                    "missing_api_key", "You didn't provide an API key. Send it as 'Authorization: Bearer <key>'.");
        }
        var presented = ApiKeys.parse(credentials.strip())
                .orElseThrow(() -> unauthorized("invalid_api_key", "Incorrect API key provided."));
        ApiKeyRecord key = keys.findKey(presented.id())
                .filter(found -> ApiKeys.matches(found, presented.secret()))
                .orElseThrow(() -> unauthorized("invalid_api_key", "Incorrect API key provided."));
        if (!key.activeAt(clock.instant())) {
            String why = key.revokedAt() != null ? "has been revoked" : "has expired";
            throw unauthorized("invalid_api_key", "The API key '" + key.id() + "' " + why + ".");
        }
        return new Principal(key.tenant(), key.id(), key.role());
    }

    private static Stop.Stopped unauthorized(String code, String message) {
        return new Stop(STAGE, 401, "invalid_request_error", code, message, null).toException();
    }
}
