package dev.airlock.guard;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a document is cut for the classifier besides its whole-text windows: runs of two consecutive sentences (or
 * lines), each sharing one sentence with the next. An attack of a sentence or two inside an otherwise benign document
 * then fills a window of its own instead of being averaged with the pages around it; the worst window decides.
 *
 * <p>The number of windows is bounded ({@value #MAX_WINDOWS}): a longer document gets windows of more sentences, so the
 * guard's cost per document stays bounded however long the document is.
 */
final class SentenceWindows {
    /** The most sentence windows one document is scored in. */
    static final int MAX_WINDOWS = 48;

    private static final Pattern BOUNDARY = Pattern.compile("(?<=[.!?;:])\\s+|\\s*\\n\\s*");

    /** A window: characters {@code start} to {@code end} of the document. */
    record Span(int start, int end) {}

    private SentenceWindows() {}

    /** The document's windows, in order; none when it is a single sentence (its whole-text score says it all). */
    static List<Span> of(String text) {
        List<Span> sentences = sentences(text);
        if (sentences.size() < 2) {
            return List.of();
        }
        int size = 2;
        while (windowCount(sentences.size(), size) > MAX_WINDOWS) {
            size *= 2;
        }
        int stride = Math.max(1, size / 2);
        List<Span> windows = new ArrayList<>();
        for (int from = 0; from < sentences.size(); from += stride) {
            int to = Math.min(sentences.size(), from + size);
            windows.add(
                    new Span(sentences.get(from).start(), sentences.get(to - 1).end()));
            if (to == sentences.size()) {
                break;
            }
        }
        return windows;
    }

    private static int windowCount(int sentences, int size) {
        int stride = Math.max(1, size / 2);
        return Math.max(1, (sentences - size + stride - 1) / stride + 1);
    }

    /** The non-blank sentences and lines of the text, trimmed. */
    static List<Span> sentences(String text) {
        List<Span> sentences = new ArrayList<>();
        Matcher m = BOUNDARY.matcher(text);
        int start = 0;
        while (m.find()) {
            add(sentences, text, start, m.start());
            start = m.end();
        }
        add(sentences, text, start, text.length());
        return sentences;
    }

    private static void add(List<Span> sentences, String text, int start, int end) {
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        if (end > start) {
            sentences.add(new Span(start, end));
        }
    }
}
