package dev.airlock.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What is kept of a predict model's answers for labels that arrive later (under {@code operations.outcomes}).
 *
 * @param positiveClass the class whose probability is kept and counted positive in precision, recall and AUC (e.g.
 *     {@code default}); when not given, the first of the model's classes in sorted order
 * @param attributes monitored attributes: features whose values are kept with each prediction, whatever the retention
 * @param monitorOnly attributes kept the same way but removed from the features before the model sees them
 */
public record OutcomesConfig(
        @JsonProperty("positive_class") String positiveClass,
        List<String> attributes,
        @JsonProperty("monitor_only") List<String> monitorOnly) {
    public OutcomesConfig {
        attributes = attributes == null ? List.of() : List.copyOf(attributes);
        monitorOnly = monitorOnly == null ? List.of() : List.copyOf(monitorOnly);
    }
}
