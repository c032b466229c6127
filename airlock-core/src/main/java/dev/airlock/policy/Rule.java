package dev.airlock.policy;

import java.util.Locale;
import java.util.Objects;

/**
 * One policy rule: when its CEL expression holds over the Decision context at its stage, its effect applies and its
 * reason code lands in the Decision.
 *
 * @param name unique within its policy version
 * @param stage {@code input} (before the call leaves) or {@code output} (before the answer is returned)
 * @param when a CEL expression of type bool over {@code tenant}, {@code model}, {@code request}, {@code provider},
 *     {@code guard} and, at output, {@code output}
 * @param effect what happens when it holds
 * @param reason the reason code recorded, e.g. {@code PII_TO_EXTERNAL}
 */
public record Rule(String name, Stage stage, String when, Effect effect, String reason) {
    public Rule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(when, "when");
        Objects.requireNonNull(effect, "effect");
        reason = reason == null || reason.isBlank()
                ? name.toUpperCase(Locale.ROOT).replace('-', '_')
                : reason;
    }

    /** Where in the pipeline a rule is checked. */
    public enum Stage {
        INPUT,
        OUTPUT;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What a rule does when it holds; when several hold, the most severe wins. */
    public enum Effect {
        ALLOW,
        REDACT,
        REVIEW,
        DENY;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Effect parse(String id) {
            for (Effect e : values()) {
                if (e.id().equals(id)) {
                    return e;
                }
            }
            throw new IllegalArgumentException("effect '" + id + "' is not one of allow, redact, review, deny");
        }
    }
}
