package dev.airlock.server.http;

import dev.airlock.decision.Principal;
import dev.airlock.decision.Role;
import dev.airlock.decision.Stop;
import dev.airlock.pipeline.Pipeline;
import io.javalin.http.Context;

/** Who may read records (decisions, events, spend): keys whose role may read decisions, for their own tenant. */
final class Readers {
    private Readers() {}

    /**
     * The authenticated reader.
     *
     * @param what what is being read, for the refusal, e.g. "decisions"
     * @throws Stop.Stopped 401 for a bad key, 403 for a role that may not read
     */
    static Principal require(Pipeline pipeline, Context ctx, String what) {
        Principal reader = pipeline.authenticate(Credentials.of(ctx));
        if (!reader.role().may(Role.Permission.READ_DECISIONS)) {
            throw new Stop(
                            "authorize",
                            403,
                            "invalid_request_error",
                            "permission_denied",
                            "The key '" + reader.keyId() + "' has role '"
                                    + reader.role().id() + "', which may not" + " read " + what
                                    + "; use an auditor, operator or admin key.",
                            null)
                    .toException();
        }
        return reader;
    }
}
