/**
 * Retraining on a node: the triggers (a command run without a shell, a webhook with retries), the candidate
 * declarations written for each version a run reports, and the alert channel that starts a run when a model's drift
 * or accuracy alert fires. The use case itself is core's {@code monitor.retrain.Retraining}.
 */
@NullMarked
package dev.airlock.server.retrain;

import org.jspecify.annotations.NullMarked;
