package dev.airlock.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * What a model's incidents may do by themselves (under {@code operations.incident}).
 *
 * @param autoRollback roll the model back to its previous production version when an incident opens from its latency,
 *     error-rate or drift alert on a production version promoted within {@code rollback_window}; once per incident
 * @param rollbackWindow how recently the failing production version must have been promoted to be rolled back
 */
public record IncidentConfig(
        @JsonProperty("auto_rollback") @Default("false") boolean autoRollback,
        @JsonProperty("rollback_window") @Default("1h") Duration rollbackWindow) {
    public static final IncidentConfig DEFAULTS = Options.defaults(IncidentConfig.class);

    public IncidentConfig {
        if (rollbackWindow.isZero() || rollbackWindow.isNegative()) {
            throw new OptionException(
                    "'" + Durations.format(rollbackWindow) + "' must be longer than 0s, e.g. 1h", "rollback_window");
        }
    }
}
