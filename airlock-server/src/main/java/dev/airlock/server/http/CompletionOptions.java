package dev.airlock.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.decision.Stop;
import java.util.stream.StreamSupport;

/**
 * Checks the chat options {@code /v1/completions} passes on, so that a value the upstream would take leniently (or
 * answer with its own error) is refused here with a 400 naming the field, the value and what is expected.
 */
final class CompletionOptions {
    private CompletionOptions() {}

    /** @throws Stop.Stopped 400 naming {@code name} when {@code value} is not what OpenAI's API takes for it */
    static void check(String name, JsonNode value) {
        if (value.isNull()) {
            return;
        }
        switch (name) {
            case "max_tokens" -> {
                if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 1) {
                    throw wrong(name, value, "a whole number of at least 1");
                }
            }
            case "seed" -> {
                if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                    throw wrong(name, value, "a whole number");
                }
            }
            case "temperature" -> range(name, value, 0, 2);
            case "top_p" -> range(name, value, 0, 1);
            case "presence_penalty", "frequency_penalty" -> range(name, value, -2, 2);
            case "stop" -> {
                boolean strings = value.isArray()
                        && value.size() <= 4
                        && StreamSupport.stream(value.spliterator(), false).allMatch(JsonNode::isTextual);
                if (!value.isTextual() && !strings) {
                    throw wrong(name, value, "a string or an array of at most 4 strings");
                }
            }
            case "user" -> {
                if (!value.isTextual()) {
                    throw wrong(name, value, "a string");
                }
            }
            case "logit_bias" -> {
                if (!value.isObject()) {
                    throw wrong(name, value, "an object of token ids to numbers from -100 to 100");
                }
            }
            default -> {}
        }
    }

    private static void range(String name, JsonNode value, double min, double max) {
        if (!value.isNumber() || value.asDouble() < min || value.asDouble() > max) {
            throw wrong(name, value, "a number from " + plain(min) + " to " + plain(max));
        }
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static Stop.Stopped wrong(String name, JsonNode value, String expected) {
        return Stop.invalid(
                        "parse", name, "'" + name + "' is " + Stop.echo(value.toString()) + "; expected " + expected)
                .toException();
    }
}
