package dev.airlock.server.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations as written in config: {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 90d}. */
public final class Durations {
    private static final Pattern FORMAT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Durations() {}

    /** The longest look-back a query may ask for: ten years, past any retention a store keeps. */
    public static final Duration MAX_LOOK_BACK = Duration.ofDays(3650);

    public static Duration parse(String text) {
        Matcher m = FORMAT.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a duration; expected e.g. 250ms, 30s, 5m, 1h or 90d");
        }
        try {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too long a duration to represent");
        }
    }

    /**
     * A look-back of a query ("the last 24h"): a duration from {@link #parse}, at most {@link #MAX_LOOK_BACK}, so that
     * now minus it is always a date.
     */
    public static Duration parseLookBack(String text) {
        Duration d = parse(text);
        if (d.compareTo(MAX_LOOK_BACK) > 0) {
            throw new IllegalArgumentException(
                    "'" + text + "' is longer than the " + format(MAX_LOOK_BACK) + " a look-back may reach");
        }
        return d;
    }

    /** The duration as it would be written: the largest unit that divides it, e.g. {@code 90d}, {@code 250ms}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && ms % 86_400_000L == 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms != 0 && ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms != 0 && ms % 60_000L == 0) {
            return ms / 60_000L + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
