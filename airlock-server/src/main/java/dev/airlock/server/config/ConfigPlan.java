package dev.airlock.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What applying a configuration would change, resource by resource: each provider, model, key (by id) and budget (by
 * name), and each other section as a whole. A change lists the fields that differ.
 *
 * <pre>{@code
 * ConfigPlan plan = ConfigPlan.between(lastApplied, ConfigLoader.written(Path.of("config/")));
 * plan.changes().forEach(c -> System.out.println(c));   // + models.support, ~ providers.openai (timeout), ...
 * }</pre>
 */
public record ConfigPlan(List<Change> changes) {

    /** Create, update or delete. */
    public enum Action {
        CREATE("+"),
        UPDATE("~"),
        DELETE("-");

        private final String mark;

        Action(String mark) {
            this.mark = mark;
        }

        public String mark() {
            return mark;
        }
    }

    /**
     * One resource's change.
     *
     * @param resource e.g. {@code models.support}, {@code keys.app1}, {@code server}
     * @param fields for an update, the fields that differ, e.g. {@code operations/thresholds/error_rate}
     */
    public record Change(Action action, String resource, List<String> fields) {
        @Override
        public String toString() {
            return action.mark() + " " + resource + (fields.isEmpty() ? "" : " (" + String.join(", ", fields) + ")");
        }
    }

    public ConfigPlan {
        changes = List.copyOf(changes);
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    /** How many changes of an action. */
    public long count(Action action) {
        return changes.stream().filter(c -> c.action() == action).count();
    }

    /** The changes from {@code current} (null when nothing was applied yet) to {@code desired}. */
    public static ConfigPlan between(@Nullable JsonNode current, JsonNode desired) {
        Map<String, JsonNode> before = resources(current);
        Map<String, JsonNode> after = resources(desired);
        List<Change> changes = new ArrayList<>();
        after.forEach((name, value) -> {
            JsonNode was = before.get(name);
            if (was == null) {
                changes.add(new Change(Action.CREATE, name, List.of()));
            } else if (!was.equals(value)) {
                List<String> fields = new ArrayList<>();
                differences("", was, value, fields);
                changes.add(new Change(Action.UPDATE, name, fields));
            }
        });
        before.keySet().stream()
                .filter(name -> !after.containsKey(name))
                .forEach(name -> changes.add(new Change(Action.DELETE, name, List.of())));
        return new ConfigPlan(changes);
    }

    private static Map<String, JsonNode> resources(@Nullable JsonNode root) {
        Map<String, JsonNode> resources = new LinkedHashMap<>();
        if (root == null || !root.isObject()) {
            return resources;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            var section = it.next();
            String name = section.getKey();
            JsonNode value = section.getValue();
            if (ConfigSources.NAMED.contains(name) && value.isObject()) {
                value.fields().forEachRemaining(e -> resources.put(name + "." + e.getKey(), e.getValue()));
            } else if (ConfigSources.LISTS.contains(name) && value.isArray()) {
                String idField = name.equals("keys") ? "id" : "name";
                for (int i = 0; i < value.size(); i++) {
                    JsonNode entry = value.get(i);
                    String id = entry.path(idField).asText("");
                    resources.put(name + "." + (id.isEmpty() ? "[" + i + "]" : id), entry);
                }
            } else {
                resources.put(name, value);
            }
        }
        return resources;
    }

    private static void differences(String at, JsonNode was, JsonNode now, List<String> out) {
        if (was.isObject() && now.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            was.fieldNames().forEachRemaining(names::add);
            now.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode a = was.get(name);
                JsonNode b = now.get(name);
                String here = at.isEmpty() ? name : at + "/" + name;
                if (a == null || b == null) {
                    out.add(here);
                } else if (!a.equals(b)) {
                    differences(here, a, b, out);
                }
            }
        } else if (!was.equals(now)) {
            out.add(at.isEmpty() ? "(value)" : at);
        }
    }
}
