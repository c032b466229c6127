package dev.airlock.server.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads {@code airlock.yaml}: substitutes {@code ${VAR}} and {@code ${VAR:-default}} from the environment, binds
 * the YAML and checks it. Every error names the file, the line and what was expected.
 */
public final class ConfigLoader {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");
    private static final ObjectMapper YAML = Options.YAML;

    private final UnaryOperator<String> environment;

    public ConfigLoader(UnaryOperator<String> environment) {
        this.environment = environment;
    }

    public static ConfigLoader fromSystemEnvironment() {
        return new ConfigLoader(System::getenv);
    }

    /** Loads one YAML file, or every YAML file under a directory (see {@link ConfigSources}). */
    public AirlockConfig load(Path path) {
        return parse(path, ConfigSources.read(path));
    }

    /** Parses configuration text as if read from {@code file}. */
    public AirlockConfig parse(Path file, String text) {
        return parse(file, List.of(new ConfigSources.Source(file, text)));
    }

    private AirlockConfig parse(Path base, List<ConfigSources.Source> written) {
        List<ConfigSources.Source> expanded = new ArrayList<>();
        List<JsonNode> trees = new ArrayList<>();
        for (ConfigSources.Source source : written) {
            var s = new ConfigSources.Source(source.file(), interpolate(source.file(), source.text()));
            expanded.add(s);
            try {
                trees.add(YAML.readTree(s.text()));
            } catch (JsonProcessingException e) {
                throw new ConfigException(describe(Locator.of(s.file(), s.text()), e));
            }
        }
        ConfigSources.Merged merged = ConfigSources.merge(expanded, trees);
        AirlockConfig config;
        try {
            JsonNode tree = merged.tree().deepCopy();
            Options.fill(AirlockConfig.class, tree);
            config = YAML.treeToValue(tree, AirlockConfig.class);
        } catch (JsonProcessingException e) {
            throw new ConfigException(describe(merged.locator(), e));
        }
        config = config.withSource(base, ConfigSources.sha256(base, written));
        config = StoreLocation.resolvedIn(config);
        return new ConfigValidator(merged.locator()).validate(config);
    }

    /**
     * The configuration as written, before {@code ${VAR}} substitution (so it holds no secret given by variable), merged
     * across files: what {@code airlock apply} compares and records.
     */
    public static ObjectNode written(Path path) {
        List<ConfigSources.Source> sources = ConfigSources.read(path);
        List<JsonNode> trees = new ArrayList<>();
        for (ConfigSources.Source s : sources) {
            try {
                trees.add(YAML.readTree(s.text()));
            } catch (JsonProcessingException e) {
                throw new ConfigException(describe(Locator.of(s.file(), s.text()), e));
            }
        }
        return ConfigSources.merge(sources, trees).tree();
    }

    private String interpolate(Path file, String text) {
        String[] lines = text.split("\n", -1);
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (!line.stripLeading().startsWith("#")) {
                line = interpolateLine(file, i + 1, line);
            }
            out.append(line);
            if (i < lines.length - 1) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    private String interpolateLine(Path file, int lineNumber, String line) {
        Matcher m = VARIABLE.matcher(line);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = environment.apply(m.group(1));
            if (value == null || (value.isEmpty() && m.group(2) != null)) {
                if (m.group(2) == null) {
                    throw new ConfigException(file + ":" + lineNumber + ": environment variable " + m.group(1)
                            + " is not set; set it, or write ${" + m.group(1) + ":-default}");
                }
                value = m.group(3);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String describe(Locator locator, JsonProcessingException e) {
        if (e instanceof ValueInstantiationException failed && failed.getCause() instanceof OptionException bad) {
            List<Object> at = new ArrayList<>();
            failed.getPath().forEach(ref -> at.add(ref.getFieldName() != null ? ref.getFieldName() : ref.getIndex()));
            at.addAll(bad.path());
            String pointer = at.stream().map(String::valueOf).collect(Collectors.joining("/", "/", ""));
            String field = OptionException.render(at);
            return locator.at(pointer) + ": " + (field.isEmpty() ? "" : field + ": ") + bad.problem();
        }
        if (e instanceof InvalidTypeIdException kind) {
            String known = String.valueOf(
                    Options.kinds(kind.getBaseType().getRawClass()).keySet());
            String pointer = pointer(kind.getPath()) + "/kind";
            return locator.at(pointer) + ": " + path(kind) + ".kind: "
                    + (kind.getTypeId() == null
                            ? "missing; expected one of " + known
                            : "'" + kind.getTypeId() + "' is not one of " + known);
        }
        String where = where(locator, e);
        if (e instanceof ConfigModule.BadValue bad) {
            return where + ": " + path(bad) + ": " + bad.getOriginalMessage();
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            String known = unknown.getKnownPropertyIds().stream()
                    .map(String::valueOf)
                    .sorted()
                    .collect(Collectors.joining(", "));
            String parent = path(unknown.getPath().subList(0, unknown.getPath().size() - 1));
            return where + ": " + parent + ": unknown field '" + unknown.getPropertyName() + "'; expected one of: "
                    + known;
        }
        if (e instanceof InvalidFormatException bad) {
            return where + ": " + path(bad) + ": '" + bad.getValue() + "' is not " + expected(bad.getTargetType());
        }
        if (e instanceof MismatchedInputException mismatch) {
            return where + ": " + path(mismatch) + ": expected " + expected(mismatch.getTargetType());
        }
        return where + ": not valid YAML: " + e.getOriginalMessage();
    }

    /** The file and line of the field a binding error is about; for a syntax error, where the parser stopped. */
    private static String where(Locator locator, JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return locator.at(pointer(mapping.getPath()));
        }
        String file = locator.at("");
        int colon = file.lastIndexOf(':');
        String name = colon > 0 && file.substring(colon + 1).chars().allMatch(Character::isDigit)
                ? file.substring(0, colon)
                : file;
        JsonLocation at = e.getLocation();
        return at == null || at.getLineNr() <= 0 ? name : name + ":" + at.getLineNr();
    }

    private static String pointer(List<JsonMappingException.Reference> references) {
        return references.stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()))
                .collect(Collectors.joining("/", "/", ""));
    }

    private static String path(JsonMappingException e) {
        return path(e.getPath());
    }

    private static String path(List<JsonMappingException.Reference> references) {
        String joined = references.stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
        return joined.isEmpty() ? "(top level)" : joined;
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "a value of another shape";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == String.class) {
            return "a text value";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a mapping (key: value lines)";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list (lines starting with '-')";
        }
        return "a " + type.getSimpleName();
    }
}
