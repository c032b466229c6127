package dev.airlock.server.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private final UnaryOperator<String> environment;

    public ConfigLoader(UnaryOperator<String> environment) {
        this.environment = environment;
    }

    public static ConfigLoader fromSystemEnvironment() {
        return new ConfigLoader(System::getenv);
    }

    public AirlockConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read: " + e.getMessage());
        }
        return parse(file, text);
    }

    /** Parses configuration text as if read from {@code file}. */
    public AirlockConfig parse(Path file, String text) {
        String expanded = interpolate(file, text);
        AirlockConfig config;
        try {
            config = YAML.readTree(expanded).isMissingNode()
                    ? new AirlockConfig(null, null, null, null, null, null, null, null, null, null, null, null, null)
                    : YAML.readValue(expanded, AirlockConfig.class);
        } catch (JsonProcessingException e) {
            throw new ConfigException(describe(file, expanded, e));
        }
        config = config.withSource(file, dev.airlock.audit.Sha256.hex(text));
        new ConfigValidator(file, expanded).validate(config);
        return config;
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

    private static String describe(Path file, String text, JsonProcessingException e) {
        String where = file + ":" + line(text, e);
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

    /** The line of the field a binding error is about; Jackson's own location may point past it. */
    private static int line(String text, JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String pointer = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()))
                    .collect(Collectors.joining("/", "/", ""));
            int line = YamlLocator.lineOf(text, pointer);
            if (line > 0) {
                return line;
            }
        }
        JsonLocation at = e.getLocation();
        return at == null ? 0 : at.getLineNr();
    }

    private static String path(JsonMappingException e) {
        return path(e.getPath());
    }

    private static String path(java.util.List<JsonMappingException.Reference> references) {
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
        if (java.util.List.class.isAssignableFrom(type)) {
            return "a list (lines starting with '-')";
        }
        return "a " + type.getSimpleName();
    }
}
