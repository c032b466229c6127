package dev.airlock.monitor.outcome;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What to keep of one model's predictions besides the predicted class.
 *
 * @param positiveClass the class whose probability to keep; null: the first class in sorted order
 * @param attributes the monitored attributes: their values are kept with each prediction
 * @param monitorOnly those of them the model must not see: removed from the features before the call ({@link
 *     MonitorOnly})
 */
public record Watched(@Nullable String positiveClass, Set<String> attributes, Set<String> monitorOnly) {
    public static final Watched DEFAULT = new Watched(null, Set.of(), Set.of());

    public Watched {
        attributes = Set.copyOf(attributes);
        monitorOnly = Set.copyOf(monitorOnly);
    }
}
