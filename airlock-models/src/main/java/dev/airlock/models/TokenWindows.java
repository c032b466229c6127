package dev.airlock.models;

import java.util.ArrayList;
import java.util.List;

/**
 * How a text is cut into windows the model can read: a text that fits the model is one window, as it always was; a
 * longer one is read in windows of {@value #SIZE} word pieces, each overlapping the one before by at least
 * {@value #OVERLAP}, the last ending at the text's last word piece. Every token lies in some window, and a phrase of
 * up to {@value #OVERLAP} tokens that straddles one window's edge lies whole inside its neighbour.
 *
 * <pre>{@code
 * TokenWindows.plan(120);  // [0, 120): fits at once
 * TokenWindows.plan(400);  // [0, 200), [150, 350), [200, 400)
 * }</pre>
 */
final class TokenWindows {
    /** The most word pieces one window holds when a text is split: the model's limit leaves room for a longer one. */
    public static final int SIZE = 200;

    /** How many word pieces each window shares with the one before, at least. */
    public static final int OVERLAP = 50;

    /** The most word pieces a text may have to be read whole, without {@code [CLS]} and {@code [SEP]}. */
    public static final int WHOLE = MiniLmEmbeddings.MAX_TOKENS - 2;

    private TokenWindows() {}

    /** Word pieces {@code [from, to)} of a text. */
    public record Window(int from, int to) {
        public int length() {
            return to - from;
        }
    }

    /**
     * The windows of a text of {@code tokens} word pieces, in order.
     *
     * @throws IllegalArgumentException when {@code tokens} is not positive
     */
    public static List<Window> plan(int tokens) {
        if (tokens < 1) {
            throw new IllegalArgumentException("a text to window needs at least one token, got " + tokens);
        }
        if (tokens <= WHOLE) {
            return List.of(new Window(0, tokens));
        }
        return slide(tokens, SIZE, OVERLAP);
    }

    /** Windows of {@code size} tokens over {@code tokens > size}, each sharing {@code overlap} with the one before. */
    static List<Window> slide(int tokens, int size, int overlap) {
        List<Window> windows = new ArrayList<>();
        int stride = size - overlap;
        for (int from = 0; from + size < tokens; from += stride) {
            windows.add(new Window(from, from + size));
        }
        windows.add(new Window(tokens - size, tokens));
        return List.copyOf(windows);
    }
}
