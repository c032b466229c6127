package dev.airlock.monitor.outcome;

/** What became of one label. */
public sealed interface LabelResult {
    String decisionId();

    /** The prediction had no label; now it has. */
    record Recorded(String decisionId, String label) implements LabelResult {}

    /** It had this label already: nothing changed. */
    record Unchanged(String decisionId, String label) implements LabelResult {}

    /** It had another label: replaced, and audited as a correction. */
    record Corrected(String decisionId, String label, String previous) implements LabelResult {}

    /**
     * Not applied.
     *
     * @param code {@code unknown_decision} (no such Decision for the caller's tenant), {@code not_a_prediction} (a
     *     Decision with no kept prediction: a chat call, or refused), {@code other_model} (a prediction of another
     *     model than the upload's), {@code invalid_label} (not one of the model's classes)
     */
    record Refused(String decisionId, String code, String message) implements LabelResult {}
}
