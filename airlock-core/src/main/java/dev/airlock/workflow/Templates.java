package dev.airlock.workflow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Step arguments from what the run knows: a string that is exactly {@code ${input.applicant_id}} or
 * {@code ${steps.score.probabilities}} becomes that value (any type); within longer text each reference is replaced by
 * the value's text. A reference to nothing fails the step, naming the path.
 */
final class Templates {
    private static final Pattern REF = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)}");

    private Templates() {}

    static @Nullable Object render(@Nullable Object template, Map<String, Object> variables) {
        return switch (template) {
            case null -> null;
            case String text -> renderText(text, variables);
            case Map<?, ?> map -> {
                Map<String, Object> out = new LinkedHashMap<>();
                map.forEach((k, v) -> out.put(String.valueOf(k), render(v, variables)));
                yield out;
            }
            case List<?> list -> {
                List<Object> out = new ArrayList<>();
                list.forEach(v -> out.add(render(v, variables)));
                yield out;
            }
            default -> template;
        };
    }

    private static Object renderText(String text, Map<String, Object> variables) {
        Matcher whole = REF.matcher(text);
        if (whole.matches()) {
            return lookup(whole.group(1), variables);
        }
        Matcher m = REF.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(lookup(m.group(1), variables))));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Object lookup(String path, Map<String, Object> variables) {
        Object at = variables;
        for (String part : path.split("\\.")) {
            if (!(at instanceof Map<?, ?> map) || !map.containsKey(part)) {
                throw new IllegalStateException("'${" + path + "}' names nothing the run has (no '" + part + "')");
            }
            at = map.get(part);
            if (at == null) {
                throw new IllegalStateException("'${" + path + "}' is null");
            }
        }
        return at;
    }
}
