package dev.airlock.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.decision.Principal;
import dev.airlock.decision.Role;
import dev.airlock.decision.Stop;
import dev.airlock.pipeline.Pipeline;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/** What the admin routes (deployments, reviews, documents) read from a request: the key, a JSON object, its fields. */
final class AdminRequests {
    private AdminRequests() {}

    /**
     * The authenticated caller, if {@code allowed}; 403 naming {@code what} it may not do and what key to use otherwise.
     */
    static Principal require(Pipeline pipeline, Context ctx, Predicate<Principal> allowed, String what, String use) {
        Principal who = pipeline.authenticate(Credentials.of(ctx));
        if (!allowed.test(who)) {
            throw new Stop(
                            "authorize",
                            403,
                            "invalid_request_error",
                            "permission_denied",
                            "The key '" + who.keyId() + "' has role '"
                                    + who.role().id() + "', which may not " + what + "; use " + use + ".",
                            null)
                    .toException();
        }
        return who;
    }

    /**
     * The authenticated caller, if its role holds {@code permission} and it belongs to the installation's tenant (the
     * tenant that runs Airlock itself: alerts, incidents, deployments, retraining); 403 naming the keys that may.
     */
    static Principal installation(
            Pipeline pipeline, Context ctx, String installationTenant, Role.Permission permission, String what) {
        List<String> roles = Arrays.stream(Role.values())
                .filter(r -> r.may(permission))
                .map(Role::id)
                .toList();
        String keys = roles.size() == 1
                ? roles.getFirst()
                : String.join(", ", roles.subList(0, roles.size() - 1)) + " or " + roles.getLast();
        return require(
                pipeline,
                ctx,
                p -> p.role().may(permission) && p.tenant().equals(installationTenant),
                what,
                "an " + keys + " key of the installation's tenant ('" + installationTenant + "')");
    }

    /** The body as a JSON object, read at the edge and parsed strictly; an empty body is an empty object. */
    static JsonNode object(ObjectMapper json, Context ctx, String stage) {
        return new JsonBody(json).object(BodyLimit.bytes(ctx), true, stage);
    }

    /** A string field: null when absent and not required; 400 when required and absent, or not a non-empty string. */
    /** A text field that must be there: the same checks as {@link #text}, never null. */
    static String required(JsonNode body, String field, String stage) {
        return Objects.requireNonNull(text(body, field, true, stage), "text() throws when a required field is absent");
    }

    static @Nullable String text(JsonNode body, String field, boolean required, String stage) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw Stop.invalid(stage, field, "'" + field + "' is required").toException();
            }
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw Stop.invalid(stage, field, "'" + field + "' must be a non-empty string")
                    .toException();
        }
        return value.asText();
    }
}
