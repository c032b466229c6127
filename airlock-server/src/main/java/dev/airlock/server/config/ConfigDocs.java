package dev.airlock.server.config;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Writes the defaults column of the configuration reference ({@code docs/configuration.md}) from the {@link Default}s
 * the option records declare, so the reference cannot drift from what binding fills in. A table row is rewritten when
 * every key in its first cell has a declared default; rows whose default is prose ("the model's name") are left as
 * written.
 */
final class ConfigDocs {
    private static final Pattern HEADING = Pattern.compile("^(#{2,3}) (.*)$");
    private static final Pattern SECTION = Pattern.compile("^`([a-z_]+)`$");
    private static final Pattern KIND = Pattern.compile("^`kind: ([a-z-]+)`.*$");
    private static final Pattern KEY = Pattern.compile("`([a-z_.]+)`");
    /** Sections whose heading is prose rather than a key. */
    private static final Map<String, String> NAMED = Map.of("Provider operations", "providers");

    private ConfigDocs() {}

    /** The reference with every defaults cell it can derive written from the declaration. */
    static String withDefaults(String markdown) {
        List<Type> scope = List.of();
        List<String> out = new ArrayList<>();
        for (String line : markdown.split("\n", -1)) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                scope = scopeOf(heading.group(1).length(), heading.group(2).strip(), scope);
            } else if (line.startsWith("| `") && !scope.isEmpty()) {
                line = rewrite(line, scope);
            }
            out.add(line);
        }
        return String.join("\n", out);
    }

    /** The types a heading's rows are options of: several for {@code providers} (one per kind). */
    private static List<Type> scopeOf(int level, String title, List<Type> current) {
        Matcher kind = KIND.matcher(title);
        if (kind.matches()) {
            Class<?> type = Options.kinds(ProviderConfig.class).get(kind.group(1));
            return type == null ? List.of() : List.of(type);
        }
        Matcher section = SECTION.matcher(title);
        String key = section.matches() ? section.group(1) : NAMED.get(title);
        if (key == null) {
            return level == 3 ? current : List.of();
        }
        return option(AirlockConfig.class, key)
                .map(o -> expand(element(o.component().getGenericType())))
                .orElse(List.of());
    }

    private static String rewrite(String line, List<Type> scope) {
        String[] cells = line.split("\\|", -1);
        if (cells.length < 5) {
            return line;
        }
        List<String> values = new ArrayList<>();
        Matcher keys = KEY.matcher(cells[1]);
        while (keys.find()) {
            Optional<String> value = defaultOf(scope, keys.group(1));
            if (value.isEmpty()) {
                return line;
            }
            values.add(value.get());
        }
        if (values.isEmpty()) {
            return line;
        }
        cells[2] = " " + String.join(" / ", values) + " ";
        return String.join("|", cells);
    }

    /** The default of a dotted key, e.g. {@code retry.attempts}; by kind where kinds differ. */
    private static Optional<String> defaultOf(List<Type> scope, String dotted) {
        Map<String, List<String>> kindsByValue = new LinkedHashMap<>();
        for (Type type : scope) {
            Type at = type;
            Options.Option found = null;
            for (String part : dotted.split("\\.")) {
                found = option(raw(element(at)), part).orElse(null);
                if (found == null) {
                    break;
                }
                at = found.component().getGenericType();
            }
            if (found == null || found.defaultValue() == null) {
                return Optional.empty();
            }
            kindsByValue
                    .computeIfAbsent("`" + found.defaultValue() + "`", v -> new ArrayList<>())
                    .add(kindName(raw(type)));
        }
        if (kindsByValue.size() == 1) {
            return Optional.of(kindsByValue.keySet().iterator().next());
        }
        return Optional.of(kindsByValue.entrySet().stream()
                .map(e -> e.getKey() + " (" + String.join(", ", e.getValue()) + ")")
                .collect(Collectors.joining(", ")));
    }

    private static Optional<Options.Option> option(Class<?> record, String key) {
        if (!record.isRecord()) {
            return Optional.empty();
        }
        return Options.of(record).stream().filter(o -> o.key().equals(key)).findFirst();
    }

    /** A sealed option type stands for its kinds. */
    private static List<Type> expand(Type type) {
        var kinds = Options.kinds(raw(type));
        return kinds.isEmpty() ? List.of(type) : List.copyOf(kinds.values());
    }

    private static String kindName(Class<?> type) {
        return Options.kinds(ProviderConfig.class).entrySet().stream()
                .filter(e -> e.getValue() == type)
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(type.getSimpleName());
    }

    /** The options type of a section: a map's or a list's values, or the type itself. */
    private static Type element(Type type) {
        if (type instanceof ParameterizedType p) {
            Type[] args = p.getActualTypeArguments();
            return args[args.length - 1];
        }
        return type;
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : Object.class;
    }
}
