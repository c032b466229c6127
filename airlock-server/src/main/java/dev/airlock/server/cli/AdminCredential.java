package dev.airlock.server.cli;

import dev.airlock.auth.ApiKeys;
import dev.airlock.auth.KeyStore;
import dev.airlock.decision.Principal;
import dev.airlock.decision.Role;
import dev.airlock.decision.Stop;
import java.time.Clock;
import picocli.CommandLine.Option;

/**
 * The admin key a command needs for an admin action (a waiver), checked against the store's keys exactly as the HTTP
 * API checks it: an active key with the admin role, of the installation's tenant. From {@code --admin-key}, else
 * {@code $AIRLOCK_ADMIN_KEY}. Access to the database is not enough to act as an admin: the audit log names the key.
 */
final class AdminCredential {
    @Option(
            names = "--admin-key",
            paramLabel = "KEY",
            description =
                    "An admin API key of the installation's tenant, for admin actions. Default: $AIRLOCK_ADMIN_KEY.")
    String key;

    /** The actor the audit log records: {@code key:<id>} of the admin key presented. */
    String requireAdmin(KeyStore keys, String installationTenant, Role.Permission permission, String action) {
        String presented = key != null ? key : System.getenv("AIRLOCK_ADMIN_KEY");
        if (presented == null || presented.isBlank()) {
            throw new IllegalArgumentException(
                    action + " needs an admin key: pass --admin-key KEY or set AIRLOCK_ADMIN_KEY (the key printed at"
                            + " the first start, or one made with 'airlock keys create --role admin')");
        }
        Principal who;
        try {
            who = ApiKeys.authenticator(keys, Clock.systemUTC()).authenticate(presented);
        } catch (Stop.Stopped e) {
            throw new IllegalArgumentException(
                    action + ": the admin key is not accepted: " + e.stop().message());
        }
        if (!who.role().may(permission) || !who.tenant().equals(installationTenant)) {
            throw new IllegalArgumentException(action + " needs an admin key of the installation's tenant '"
                    + installationTenant + "'; key " + who.keyId() + " is " + who.role() + " of " + who.tenant());
        }
        return "key:" + who.keyId();
    }
}
