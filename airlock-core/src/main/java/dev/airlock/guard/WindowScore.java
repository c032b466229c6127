package dev.airlock.guard;

/**
 * The embedding classifier's score of one text. The model reads a few hundred tokens at a time, so a longer text is
 * scored in overlapping windows and its worst window decides: this is that window's probability and where it lies, so
 * a person can find what was flagged.
 *
 * <pre>{@code
 * new WindowScore(0.93, 3, 4, 1520, 2410); // the fourth of four windows, characters 1520 to 2410, scored 0.93
 * }</pre>
 *
 * @param probability the worst window's probability of being an injection, 0 to 1
 * @param window the worst window's index, from 0
 * @param windows how many windows the text was read in (1 when it fits the model at once)
 * @param start the worst window's first character in the text (a UTF-16 index, as {@link String#substring})
 * @param end the character after the worst window's last
 */
public record WindowScore(double probability, int window, int windows, int start, int end) {
    public WindowScore {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be in [0, 1], not " + probability);
        }
        if (windows < 1 || window < 0 || window >= windows) {
            throw new IllegalArgumentException("window " + window + " of " + windows + " does not exist");
        }
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("characters " + start + " to " + end + " are not a range");
        }
    }

    /** A text read whole, in one window. */
    public static WindowScore whole(double probability, String text) {
        return new WindowScore(probability, 0, 1, 0, text.length());
    }

    /** Nothing scored: the classifier is off. */
    static WindowScore none(String text) {
        return whole(0, text);
    }
}
