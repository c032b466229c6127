package dev.airlock.server.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * An option whose value breaks a rule, found while it is bound. It names the option relative to the record that
 * declares it (e.g. {@code attempts}, {@code route[1].weight}); the loader puts the file, the line and the path of the
 * record in front.
 */
final class OptionException extends IllegalArgumentException {
    private final List<Object> path;
    private final String problem;

    /**
     * @param problem what is wrong, with the value
     * @param path the option's keys (String) and list positions (Integer) below the record; none for the record itself
     */
    OptionException(String problem, Object... path) {
        super(render(List.of(path)) + (path.length == 0 ? "" : ": ") + problem);
        this.path = List.of(path);
        this.problem = problem;
    }

    List<Object> path() {
        return path;
    }

    String problem() {
        return problem;
    }

    static String render(List<Object> path) {
        return path.stream()
                .map(p -> p instanceof Integer i ? "[" + i + "]" : "." + p)
                .collect(Collectors.joining())
                .replaceFirst("^\\.", "");
    }
}
