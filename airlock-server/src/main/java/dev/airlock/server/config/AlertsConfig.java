package dev.airlock.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Alerts: how often rules are evaluated, how long a breach must last, where notifications go and when they escalate.
 * A model's own alerts go to its {@code operations.contact}, then its {@code operations.escalation}; the
 * installation's (breakers, audit, review desk, store) to {@code contact} and {@code escalation} here.
 *
 * @param evaluateEvery how often rules are evaluated and due notifications delivered ({@code 0s}: never on a schedule)
 * @param window the span of recent Decisions latency and error rate are computed over
 * @param forDuration how long a breach must last before its alert fires (pending until then)
 * @param minCalls fewest calls in the window before a model version's latency and error rate are judged
 * @param escalateAfter how long a firing alert may stay unacknowledged before the escalation list is notified
 * @param contact who hears about installation alerts first (e-mail addresses)
 * @param escalation who hears about them when nobody acknowledges them
 * @param attempts delivery attempts before a notification is kept as a dead letter
 * @param backoff the wait after the first failed attempt, doubled after each
 * @param maxBackoff the longest wait between attempts
 * @param lease how long one node's evaluator lease lasts (nodes sharing PostgreSQL evaluate one at a time)
 * @param channels where notifications go, by name
 * @param maintenance windows in which matching alerts notify nobody
 */
public record AlertsConfig(
        @JsonProperty("evaluate_every") @Default("15s") Duration evaluateEvery,
        @Default("5m") Duration window,
        @JsonProperty("for") @Default("2m") Duration forDuration,
        @JsonProperty("min_calls") @Default("10") int minCalls,
        @JsonProperty("escalate_after") @Default("30m") Duration escalateAfter,
        List<String> contact,
        List<String> escalation,
        @Default("5") int attempts,
        @Default("10s") Duration backoff,
        @JsonProperty("max_backoff") @Default("10m") Duration maxBackoff,
        @Default("1m") Duration lease,
        Map<String, ChannelConfig> channels,
        List<MaintenanceConfig> maintenance) {
    public static final AlertsConfig DEFAULTS = Options.defaults(AlertsConfig.class);

    public AlertsConfig {
        contact = contact == null ? List.of() : List.copyOf(contact);
        escalation = escalation == null ? List.of() : List.copyOf(escalation);
        channels = channels == null ? Map.of() : new LinkedHashMap<>(channels);
        maintenance = maintenance == null ? List.of() : List.copyOf(maintenance);
        if (attempts < 1) {
            throw new OptionException(attempts + " must be at least 1", "attempts");
        }
        if (minCalls < 1) {
            throw new OptionException(minCalls + " must be at least 1", "min_calls");
        }
        if (window.isZero() || window.isNegative()) {
            throw new OptionException("'" + Durations.format(window) + "' must be longer than 0s", "window");
        }
        for (String name : channels.keySet()) {
            if (!name.matches(AirlockConfig.NAME)) {
                throw new OptionException("a channel name is letters, digits, '.', '_' or '-'", "channels", name);
            }
        }
    }

    /** What kind of channel: a JSON webhook, a Slack-compatible incoming webhook, or e-mail over SMTP. */
    public enum Kind {
        WEBHOOK,
        SLACK,
        SMTP;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One channel. A webhook or Slack channel needs {@code url} (which may hold a token: it is never logged or shown);
     * an SMTP channel needs {@code host} and {@code from}, and sends to the alert's recipients.
     *
     * @param timeout how long one delivery may take
     * @param starttls whether to upgrade the SMTP connection with STARTTLS (required when true)
     */
    public record ChannelConfig(
            Kind kind,
            String url,
            String host,
            @Default("25") int port,
            String user,
            String password,
            String from,
            @Default("false") boolean starttls,
            @Default("10s") Duration timeout) {
        public ChannelConfig {
            if (kind == null) {
                throw new OptionException("a channel needs a kind: webhook, slack or smtp", "kind");
            }
            if ((kind == Kind.WEBHOOK || kind == Kind.SLACK) && (url == null || url.isBlank())) {
                throw new OptionException("a " + kind.id() + " channel needs a url", "url");
            }
            if (kind == Kind.SMTP && (host == null || host.isBlank() || from == null || from.isBlank())) {
                throw new OptionException("an smtp channel needs a host and a from address", "host");
            }
        }

        /** The settings without secrets, for display. */
        @Override
        public String toString() {
            return kind.id() + (host == null ? "" : " " + host + ":" + port);
        }
    }

    /**
     * A maintenance window: alerts of {@code model} (any when absent) and {@code rule} (any when absent) notify nobody
     * from {@code from} until {@code until} (ISO-8601 instants, e.g. {@code 2026-12-31T22:00:00Z}).
     */
    public record MaintenanceConfig(String model, String rule, String from, String until, String reason) {
        public MaintenanceConfig {
            instant(from, "from");
            if (!instant(until, "until").isAfter(instant(from, "from"))) {
                throw new OptionException("'" + until + "' must be after from '" + from + "'", "until");
            }
            if (reason == null || reason.isBlank()) {
                throw new OptionException("a maintenance window needs a reason", "reason");
            }
        }

        public Instant start() {
            return instant(from, "from");
        }

        public Instant end() {
            return instant(until, "until");
        }

        private static Instant instant(String text, String field) {
            if (text == null) {
                throw new OptionException("a maintenance window needs '" + field + "'", field);
            }
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new OptionException("'" + text + "' is not an instant like 2026-12-31T22:00:00Z", field);
            }
        }
    }
}
