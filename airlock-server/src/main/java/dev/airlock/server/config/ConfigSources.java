package dev.airlock.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.audit.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The files a configuration is read from: one YAML file, or every {@code .yaml}/{@code .yml} file under a directory
 * (in path order), merged. Entries of {@code providers} and {@code models} may sit in any file but only once; {@code
 * keys} and {@code budgets} lists are joined; every other section sits in one file. Whatever the layout, an error
 * names the file and line it comes from.
 */
final class ConfigSources {
    /** Sections whose entries are named and may be spread over files. */
    static final Set<String> NAMED = Set.of("providers", "models");
    /** Sections that are lists, joined across files. */
    static final Set<String> LISTS = Set.of("keys", "budgets");

    /** One file and its text (as written, or after substitution). */
    record Source(Path file, String text) {}

    private ConfigSources() {}

    /** Reads {@code path}: a file, or every YAML file under a directory. */
    static List<Source> read(Path path) {
        if (Files.isDirectory(path)) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(path)) {
                files = walk.filter(Files::isRegularFile)
                        .filter(p -> {
                            String name = p.getFileName().toString();
                            return (name.endsWith(".yaml") || name.endsWith(".yml")) && !name.startsWith(".");
                        })
                        .sorted()
                        .toList();
            } catch (IOException e) {
                throw new ConfigException(path + ": cannot be read: " + e.getMessage());
            }
            if (files.isEmpty()) {
                throw new ConfigException(path + ": no .yaml files in this directory");
            }
            return files.stream().map(ConfigSources::readFile).toList();
        }
        return List.of(readFile(path));
    }

    private static Source readFile(Path file) {
        try {
            return new Source(file, Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read: " + e.getMessage());
        }
    }

    /** SHA-256 of what was written: the file's text, or each file's path (relative to the directory) and text. */
    static String sha256(Path base, List<Source> sources) {
        if (sources.size() == 1 && !Files.isDirectory(base)) {
            return Sha256.hex(sources.getFirst().text());
        }
        StringBuilder all = new StringBuilder();
        for (Source s : sources) {
            all.append(base.relativize(s.file()).toString().replace('\\', '/'))
                    .append('\n')
                    .append(s.text())
                    .append('\n');
        }
        return Sha256.hex(all.toString());
    }

    /** The merged tree and where each part of it came from. */
    record Merged(ObjectNode tree, Locator locator) {}

    /**
     * Merges parsed files.
     *
     * @param trees each source with its parsed YAML (null for an empty file)
     */
    static Merged merge(List<Source> sources, List<JsonNode> trees) {
        ObjectNode merged = JsonNodeFactory.instance.objectNode();
        Map<String, Locator.Origin> origins = new LinkedHashMap<>();
        for (int i = 0; i < sources.size(); i++) {
            Source source = sources.get(i);
            JsonNode tree = trees.get(i);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                continue;
            }
            if (!tree.isObject()) {
                throw new ConfigException(source.file() + ":1: expected a mapping of sections (server, providers,"
                        + " models, ...) at the top level");
            }
            Locator single = Locator.of(source.file(), source.text());
            var fields = tree.fields();
            while (fields.hasNext()) {
                var field = fields.next();
                String section = field.getKey();
                JsonNode value = field.getValue();
                if (NAMED.contains(section) && value.isObject()) {
                    ObjectNode into = merged.has(section) && merged.get(section).isObject()
                            ? (ObjectNode) merged.get(section)
                            : merged.putObject(section);
                    var entries = value.fields();
                    while (entries.hasNext()) {
                        var entry = entries.next();
                        String prefix = "/" + section + "/" + entry.getKey();
                        if (into.has(entry.getKey())) {
                            throw new ConfigException(single.at(prefix) + ": " + section + "." + entry.getKey()
                                    + " is declared again; it is first declared at " + locate(origins, prefix));
                        }
                        into.set(entry.getKey(), entry.getValue());
                        origins.put(prefix, new Locator.Origin(source.file(), source.text(), prefix));
                    }
                } else if (LISTS.contains(section) && value.isArray()) {
                    ArrayNode into = merged.has(section) && merged.get(section).isArray()
                            ? (ArrayNode) merged.get(section)
                            : merged.putArray(section);
                    for (int j = 0; j < value.size(); j++) {
                        origins.put(
                                "/" + section + "/" + into.size(),
                                new Locator.Origin(source.file(), source.text(), "/" + section + "/" + j));
                        into.add(value.get(j));
                    }
                } else {
                    String prefix = "/" + section;
                    if (merged.has(section)) {
                        throw new ConfigException(single.at(prefix) + ": section '" + section + "' is declared again;"
                                + " it is first declared at " + locate(origins, prefix));
                    }
                    merged.set(section, value);
                    origins.put(prefix, new Locator.Origin(source.file(), source.text(), prefix));
                }
            }
        }
        Source first = sources.getFirst();
        return new Merged(merged, new Locator(new Locator.Origin(first.file(), first.text(), ""), origins));
    }

    private static String locate(Map<String, Locator.Origin> origins, String prefix) {
        return new Locator(null, origins).at(prefix);
    }
}
