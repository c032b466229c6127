package dev.airlock.registry;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One version of a prompt: a template whose {@code {{name}}} placeholders are typed variables. The template is checked
 * when it is declared (every placeholder declared, every variable used) and every render checks the values (required,
 * type, allowed values, length), so a bad call fails with the variable's name rather than sending a broken prompt.
 * Nothing else is interpreted: no logic, no escaping.
 *
 * <pre>{@code
 * var prompt = new PromptTemplate("support-answer", "3", "Answer as {{company}}, in {{language}}.",
 *         Map.of("company", Variable.required(Variable.Type.STRING),
 *                "language", new Variable(Variable.Type.STRING, false, "English", List.of(), 0)),
 *         List.of("production"), "");
 * prompt.render(Map.of("company", "Acme"));   // "Answer as Acme, in English."
 * }</pre>
 *
 * @param labels names a caller or a model version may use instead of the version, e.g. {@code production}
 */
public record PromptTemplate(
        String name,
        String version,
        String template,
        Map<String, Variable> variables,
        List<String> labels,
        String description) {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");

    public PromptTemplate {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(template, "template");
        variables = Collections.unmodifiableMap(new LinkedHashMap<>(variables == null ? Map.of() : variables));
        labels = labels == null ? List.of() : List.copyOf(labels);
        description = description == null ? "" : description;
        Set<String> used = placeholders(template);
        for (String placeholder : used) {
            if (!variables.containsKey(placeholder)) {
                throw new IllegalArgumentException("prompt " + name + "@" + version + ": the template uses {{"
                        + placeholder + "}}, which is not declared under variables");
            }
        }
        for (String declared : variables.keySet()) {
            if (!used.contains(declared)) {
                throw new IllegalArgumentException("prompt " + name + "@" + version + ": variable '" + declared
                        + "' is declared but the template never uses {{" + declared + "}}");
            }
        }
    }

    /** {@code name@version}, as Decisions record it. */
    public String ref() {
        return name + "@" + version;
    }

    /**
     * The text with every placeholder replaced.
     *
     * @throws RenderException naming the variable and what was wrong with its value
     */
    public String render(Map<String, ?> values) {
        Map<String, ?> given = values == null ? Map.of() : values;
        for (String key : given.keySet()) {
            if (!variables.containsKey(key)) {
                throw new RenderException(
                        key,
                        "prompt " + ref() + " has no variable '" + key + "'; its variables: " + variables.keySet());
            }
        }
        Map<String, String> text = new LinkedHashMap<>();
        variables.forEach((key, variable) -> text.put(key, variable.textOf(ref(), key, given.get(key))));
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(text.get(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Set<String> placeholders(String template) {
        Set<String> found = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    /**
     * A typed variable.
     *
     * @param defaultValue used when the caller gives none; null for none
     * @param allowed the only values accepted, or empty for any
     * @param maxLength the longest text accepted, or 0 for no limit
     */
    public record Variable(
            Type type, boolean required, @Nullable Object defaultValue, List<String> allowed, int maxLength) {
        public Variable {
            Objects.requireNonNull(type, "type");
            allowed = allowed == null ? List.of() : List.copyOf(allowed);
            if (maxLength < 0) {
                throw new IllegalArgumentException("max_length must not be negative: " + maxLength);
            }
        }

        public static Variable required(Type type) {
            return new Variable(type, true, null, List.of(), 0);
        }

        /** The types a value may have. */
        public enum Type {
            STRING,
            INTEGER,
            NUMBER,
            BOOLEAN;

            public String id() {
                return name().toLowerCase(Locale.ROOT);
            }
        }

        String textOf(String prompt, String key, @Nullable Object value) {
            Object v = value != null ? value : defaultValue;
            if (v == null) {
                if (required) {
                    throw new RenderException(
                            key, "prompt " + prompt + " needs variable '" + key + "' (" + type.id() + ")");
                }
                return "";
            }
            String text = switch (type) {
                case STRING -> {
                    if (!(v instanceof String s)) {
                        throw wrongType(prompt, key, v);
                    }
                    yield s;
                }
                case INTEGER -> {
                    if (!(v instanceof Integer || v instanceof Long) && !(v instanceof BigInteger)) {
                        throw wrongType(prompt, key, v);
                    }
                    yield v.toString();
                }
                case NUMBER -> {
                    if (!(v instanceof Number)) {
                        throw wrongType(prompt, key, v);
                    }
                    yield v.toString();
                }
                case BOOLEAN -> {
                    if (!(v instanceof Boolean)) {
                        throw wrongType(prompt, key, v);
                    }
                    yield v.toString();
                }
            };
            if (!allowed.isEmpty() && !allowed.contains(text)) {
                throw new RenderException(
                        key,
                        "prompt " + prompt + ": variable '" + key + "' must be one of " + allowed + ", not '" + text
                                + "'");
            }
            if (maxLength > 0 && text.length() > maxLength) {
                throw new RenderException(
                        key,
                        "prompt " + prompt + ": variable '" + key + "' is " + text.length()
                                + " characters long; at most " + maxLength + " are accepted");
            }
            return text;
        }

        private RenderException wrongType(String prompt, String key, Object v) {
            return new RenderException(
                    key,
                    "prompt " + prompt + ": variable '" + key + "' must be " + article() + type.id() + ", not "
                            + describe(v));
        }

        private String article() {
            return type == Type.INTEGER ? "an " : "a ";
        }

        private static String describe(Object v) {
            return switch (v) {
                case String s -> "the text \"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\"";
                case Number n -> "the number " + n;
                case Boolean b -> "the boolean " + b;
                case List<?> l -> "a list";
                case Map<?, ?> m -> "an object";
                default -> "a " + v.getClass().getSimpleName();
            };
        }
    }

    /** A render that cannot be done: the variable and why. */
    public static final class RenderException extends IllegalArgumentException {
        private final String variable;

        RenderException(String variable, String message) {
            super(message);
            this.variable = variable;
        }

        public String variable() {
            return variable;
        }
    }

    /** Every version of every prompt, by name; a version or a label finds one. */
    public static final class Catalog {
        private final Map<String, Map<String, PromptTemplate>> prompts;

        public Catalog(List<PromptTemplate> all) {
            Map<String, Map<String, PromptTemplate>> byName = new LinkedHashMap<>();
            for (PromptTemplate p : all) {
                Map<String, PromptTemplate> versions = byName.computeIfAbsent(p.name(), n -> new LinkedHashMap<>());
                if (versions.put(p.version(), p) != null) {
                    throw new IllegalArgumentException("prompt " + p.ref() + " is declared twice");
                }
            }
            byName.forEach((name, versions) -> {
                Map<String, String> labelled = new LinkedHashMap<>();
                versions.values()
                        .forEach(p -> p.labels().forEach(label -> {
                            String before = labelled.put(label, p.version());
                            if (before != null) {
                                throw new IllegalArgumentException(
                                        "prompt " + name + ": label '" + label + "' is on versions " + before + " and "
                                                + p.version() + "; a label names one version");
                            }
                            if (versions.containsKey(label) && !label.equals(p.version())) {
                                throw new IllegalArgumentException(
                                        "prompt " + name + ": label '" + label + "' is also the name of a version");
                            }
                        }));
            });
            this.prompts = byName;
        }

        public static final Catalog EMPTY = new Catalog(List.of());

        /** A prompt by {@code name@version}, {@code name@label}, or {@code name} (its last declared version). */
        public Optional<PromptTemplate> find(String ref) {
            int at = ref.indexOf('@');
            String name = at < 0 ? ref : ref.substring(0, at);
            Map<String, PromptTemplate> versions = prompts.get(name);
            if (versions == null || versions.isEmpty()) {
                return Optional.empty();
            }
            if (at < 0) {
                return Optional.of(new ArrayList<>(versions.values()).getLast());
            }
            String which = ref.substring(at + 1);
            PromptTemplate exact = versions.get(which);
            if (exact != null) {
                return Optional.of(exact);
            }
            return versions.values().stream()
                    .filter(p -> p.labels().contains(which))
                    .findFirst();
        }

        /** A prompt's versions in declared order; empty for an unknown name. */
        public List<PromptTemplate> versions(String name) {
            return List.copyOf(prompts.getOrDefault(name, Map.of()).values());
        }

        public Set<String> names() {
            return prompts.keySet();
        }
    }
}
