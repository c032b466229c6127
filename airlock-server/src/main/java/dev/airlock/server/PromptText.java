package dev.airlock.server;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import dev.airlock.registry.PromptTemplate;
import java.util.ArrayList;
import java.util.List;

/** Prompt versions as reviewable text, and the unified diff between two of them. */
public final class PromptText {
    private PromptText() {}

    /** Labels, typed variables and the template, one per line: what a reviewer compares. */
    public static List<String> lines(PromptTemplate p) {
        List<String> lines = new ArrayList<>();
        lines.add("labels: " + String.join(", ", p.labels()));
        lines.add("variables:");
        p.variables().forEach((name, v) -> {
            StringBuilder line = new StringBuilder("  ")
                    .append(name)
                    .append(": ")
                    .append(v.type().id());
            line.append(v.required() ? ", required" : ", optional");
            if (v.defaultValue() != null) {
                line.append(", default ").append(v.defaultValue());
            }
            if (!v.allowed().isEmpty()) {
                line.append(", one of ").append(v.allowed());
            }
            if (v.maxLength() > 0) {
                line.append(", at most ").append(v.maxLength()).append(" characters");
            }
            lines.add(line.toString());
        });
        lines.add("template:");
        lines.addAll(p.template().lines().toList());
        return lines;
    }

    /** The unified diff from one version to another (empty when they are the same). */
    public static String diff(PromptTemplate from, PromptTemplate to) {
        List<String> a = lines(from);
        List<String> b = lines(to);
        var patch = DiffUtils.diff(a, b);
        if (patch.getDeltas().isEmpty()) {
            return "";
        }
        return String.join("\n", UnifiedDiffUtils.generateUnifiedDiff(from.ref(), to.ref(), a, patch, 3)) + "\n";
    }
}
