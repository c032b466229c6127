package dev.airlock.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.decision.Stop;
import io.javalin.http.Context;

/**
 * Typed values from request bodies and query strings, read strictly in one place: a number field is a JSON number of
 * the right kind and range ({@code "many"}, {@code 3.9} or {@code true} for a whole number is a 400 naming the field,
 * never a default or a rounding); a query number is digits only.
 */
final class Fields {
    private Fields() {}

    /** A whole number in {@code [min, max]}; {@code fallback} when the field is absent or null. */
    static int wholeNumber(JsonNode body, String field, int fallback, int min, int max, String stage) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber()
                || !value.canConvertToLong()
                || value.longValue() < min
                || value.longValue() > max) {
            throw Stop.invalid(
                            stage,
                            field,
                            "'" + field + "' must be a whole number from " + min + " to " + max + "; got " + value)
                    .toException();
        }
        return value.intValue();
    }

    /** A number (whole or not) in {@code [min, max]}; required. */
    static double number(JsonNode body, String field, double min, double max, String example, String stage) {
        JsonNode value = body.get(field);
        if (value == null || !value.isNumber() || !(value.doubleValue() >= min && value.doubleValue() <= max)) {
            throw Stop.invalid(
                            stage,
                            field,
                            "'" + field + "' must be a number between " + plain(min) + " and " + plain(max) + ", e.g. "
                                    + example + (value == null ? "" : "; got " + value))
                    .toException();
        }
        return value.doubleValue();
    }

    /** A whole number from the query string, in {@code [min, max]}; {@code fallback} when absent. */
    static long queryWholeNumber(Context ctx, String name, long fallback, long min, long max) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return fallback;
        }
        if (!value.isEmpty() && value.length() <= 19 && value.chars().allMatch(Character::isDigit)) {
            long number = Long.parseLong(value);
            if (number >= min && number <= max) {
                return number;
            }
        }
        String range = max == Long.MAX_VALUE ? min + " or more" : "from " + min + " to " + max;
        throw Stop.invalid("read", name, "'" + name + "' must be a whole number " + range + "; got '" + value + "'")
                .toException();
    }

    private static String plain(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
