package dev.airlock.server.runtime;

import dev.airlock.decision.Decision;
import dev.airlock.decision.Outcome;
import dev.airlock.decision.StageNote;
import dev.airlock.pipeline.Review;

/**
 * What every door into the pipeline reads alike, over HTTP or in-process: whether a Decision is held for review and
 * under which review, and which data-subject ids a call may name.
 */
public final class Calls {
    private Calls() {}

    /** Whether the Decision's answer waits for a reviewer (the review stage stops it with 202). */
    public static boolean held(Decision decision) {
        return decision.outcome() instanceof Outcome.Refused refused
                && refused.stop().status() == 202;
    }

    /** The id of the review holding the Decision's answer, or empty when none does. */
    public static String reviewIdOf(Decision decision) {
        return decision.notes().stream()
                .filter(n -> n.stage().equals(Review.STAGE) && n.verdict().equals("held"))
                .map(StageNote::detail)
                .findFirst()
                .orElse("");
    }

    /**
     * Whether a call may name {@code subject} as its data subject: 1 to 256 printable characters, already trimmed (a
     * customer or patient number). Content kept for a subject is encrypted under the subject's key and erased with it.
     */
    public static boolean isSubject(String subject) {
        return !subject.isEmpty() && subject.length() <= 256 && subject.chars().allMatch(c -> c >= 0x20 && c != 0x7f);
    }
}
