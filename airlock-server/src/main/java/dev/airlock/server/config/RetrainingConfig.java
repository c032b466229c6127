package dev.airlock.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a model is retrained when its drift or live accuracy crosses its threshold, or an operator asks (see
 * docs/monitoring.md, Retraining): a command run with the data extract, or a webhook told about it; one of the two.
 *
 * <pre>{@code
 * monitoring:
 *   retraining:
 *     command: [./retrain.sh]
 *     cooldown: 24h
 * }</pre>
 *
 * @param command the program and its arguments, run directly (never through a shell) in the configuration's
 *     directory, with {@code AIRLOCK_MODEL}, {@code AIRLOCK_VERSION}, {@code AIRLOCK_EXTRACT}, … in its environment
 * @param webhook a URL that gets a POST with the same fields as JSON
 * @param on the alert rules that start a run: {@code drift}, {@code accuracy}
 * @param timeout how long a command may run, or a webhook take to answer, before the run fails
 * @param cooldown after a run starts, an alert starts no other run of the model for this long
 * @param window how far back the data extract reaches
 * @param maxRows the most rows the extract holds (the newest)
 * @param workDir where each run gets a directory (extract, artifacts, candidate declarations); relative to this file
 * @param env more environment variables for the command
 * @param attempts webhook attempts before the run fails (1 to 10)
 * @param backoff the wait after a webhook's first failed attempt, doubled after each one
 */
public record RetrainingConfig(
        List<String> command,
        String webhook,
        @Default("[drift, accuracy]") List<String> on,
        @Default("30m") Duration timeout,
        @Default("24h") Duration cooldown,
        @Default("30d") Duration window,
        @JsonProperty("max_rows") @Default("100000") int maxRows,

        @JsonProperty("work_dir") @Default(".airlock/retraining")
        String workDir,

        Map<String, String> env,
        @Default("3") int attempts,
        @Default("2s") Duration backoff) {
    private static final Set<String> RULES = Set.of("drift", "accuracy");

    public RetrainingConfig {
        command = command == null ? List.of() : List.copyOf(command);
        env = env == null ? Map.of() : new LinkedHashMap<>(env);
        on = List.copyOf(on);
        if (command.isEmpty() == (webhook == null)) {
            throw new OptionException("give either command (a list: program and arguments) or webhook (a URL)");
        }
        if (command.stream().anyMatch(String::isBlank)) {
            throw new OptionException("an argument is blank in " + command, "command");
        }
        if (webhook != null) {
            URI url = URI.create(webhook);
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
                throw new OptionException("'" + url.getScheme() + "' is not http or https", "webhook");
            }
        }
        for (String rule : on) {
            if (!RULES.contains(rule)) {
                throw new OptionException("'" + rule + "' is not one of drift, accuracy", "on");
            }
        }
        positive(timeout, "timeout");
        positive(window, "window");
        positive(backoff, "backoff");
        if (cooldown.isNegative()) {
            throw new OptionException("must not be negative", "cooldown");
        }
        if (maxRows < 1) {
            throw new OptionException(maxRows + " is not at least 1", "max_rows");
        }
        if (attempts < 1 || attempts > 10) {
            throw new OptionException(attempts + " is not within 1..10", "attempts");
        }
    }

    private static void positive(Duration d, String field) {
        if (d.isZero() || d.isNegative()) {
            throw new OptionException("must be positive", field);
        }
    }
}
