package dev.airlock.server.cli;

import dev.airlock.deploy.DeploymentDesk;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code --force --justification TEXT}: send traffic to a version some live node cannot serve anyway. Those nodes
 * keep serving the version before and report it; the justification is kept in the audit log.
 */
final class ForceOptions {
    @Option(
            names = "--force",
            description = "Go on even though some live node cannot serve the version (it keeps serving the version"
                    + " before and reports it). Needs --justification; audited.")
    boolean force;

    @Option(
            names = "--justification",
            paramLabel = "TEXT",
            description = "Why forcing is right, at least 10 characters; kept in the audit log.")
    @Nullable
    String justification;

    DeploymentDesk.@Nullable Force force() {
        if (!force && justification != null) {
            throw new IllegalArgumentException("--justification goes with --force");
        }
        return force ? new DeploymentDesk.Force(justification) : null;
    }
}
