package dev.airlock.decision;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Why a stage stopped a Decision, in terms a client can act on.
 *
 * @param stage the pipeline stage that stopped it, e.g. {@code authenticate}
 * @param status the HTTP status that fits, e.g. 401, 404, 502
 * @param type a stable error type, OpenAI style, e.g. {@code invalid_request_error}
 * @param code a stable machine-readable code, e.g. {@code model_not_found}
 * @param message what went wrong and what was expected, for a person
 * @param param the JSON path of the offending input, or null
 * @param retryAfter when the caller may try again (sent as {@code Retry-After}), or null; a hint for the response,
 *     not part of the record
 */
public record Stop(
        String stage,
        int status,
        String type,
        String code,
        String message,
        @Nullable String param,
        @Nullable Duration retryAfter) {

    public Stop(String stage, int status, String type, String code, String message, @Nullable String param) {
        this(stage, status, type, code, message, param, null);
    }

    /** The same stop, asking the caller to wait this long before trying again. */
    public Stop retryingAfter(Duration wait) {
        return new Stop(stage, status, type, code, message, param, wait);
    }

    public static Stop invalid(String stage, @Nullable String param, String message) {
        return new Stop(stage, 400, "invalid_request_error", "invalid_value", message, param);
    }

    /** The most characters of a caller's value an error message repeats ({@link #echo(String)}). */
    public static final int ECHOED = 80;

    /**
     * A caller's value as an error message repeats it: at most {@value #ECHOED} characters, then {@code …}, so that a
     * 3,000-character id does not come back whole (in the error, the log, the audit).
     *
     * <pre>{@code
     * Stop.invalid("label", "decision_id", "no Decision " + Stop.echo(id));
     * }</pre>
     */
    public static String echo(@Nullable String value) {
        return echo(value, ECHOED);
    }

    /** {@code value} cut to {@code max} characters (not splitting a surrogate pair), with {@code …} when cut. */
    public static String echo(@Nullable String value, int max) {
        if (value == null) {
            return "null";
        }
        if (value.length() <= max) {
            return value;
        }
        int end = Character.isHighSurrogate(value.charAt(max - 1)) ? max - 1 : max;
        return value.substring(0, end) + "…";
    }

    /** The same stop, thrown: stages use this to end a Decision from deep inside a call. */
    public Stopped toException() {
        return new Stopped(this);
    }

    /** Carries a {@link Stop} out of a stage. */
    public static final class Stopped extends RuntimeException {
        private final transient Stop stop;

        public Stopped(Stop stop) {
            super(stop.stage() + ": " + stop.message(), null, false, false);
            this.stop = stop;
        }

        public Stop stop() {
            return stop;
        }
    }
}
