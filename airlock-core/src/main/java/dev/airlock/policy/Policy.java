package dev.airlock.policy;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One version of a policy: its rules and the example cases written beside them ({@code airlock policy test}).
 *
 * @param labels other names for this version, e.g. {@code production}
 */
public record Policy(String name, String version, List<String> labels, List<Rule> rules, List<Example> examples) {
    public Policy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        labels = labels == null ? List.of() : List.copyOf(labels);
        rules = List.copyOf(rules);
        examples = examples == null ? List.of() : List.copyOf(examples);
    }

    /** {@code name@version}, as Decisions record it. */
    public String ref() {
        return name + "@" + version;
    }

    /**
     * An example case: a context and the effect (and reasons) the policy must give it.
     *
     * @param context the Decision context, as the pipeline builds it
     * @param reasons the reason codes expected, in rule order; empty to not check them
     */
    public record Example(
            String name, Rule.Stage stage, Map<String, Object> context, Rule.Effect expect, List<String> reasons) {
        public Example {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(stage, "stage");
            context = context == null ? Map.of() : Map.copyOf(context);
            Objects.requireNonNull(expect, "expect");
            reasons = reasons == null ? List.of() : List.copyOf(reasons);
        }
    }
}
