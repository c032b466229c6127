package dev.airlock.guard;

import dev.airlock.decision.Stop;
import dev.airlock.pipeline.DecisionDraft;
import dev.airlock.pipeline.GuardInput;
import dev.airlock.provider.AiRequest;
import dev.airlock.provider.ChatMessage;
import dev.airlock.provider.ChatRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Prompt-injection detection on the guard-input stage, in two layers: {@link InjectionHeuristics} and an embedding
 * classifier. It reads what a caller or a retrieved document could have written — user messages, tool results
 * (documents returned by retrieval or tools: indirect injection) and prompt variables — and scores each text as the
 * higher of the two layers. No text is too long: the heuristics read the whole text, and the classifier scores a text
 * longer than its model reads in overlapping windows, the worst window deciding (see {@link WindowScore}). A document
 * or prompt variable is also scored in windows of two sentences, so that one attack sentence inside a benign document
 * is judged on its own (indirect injection); the note says which window decided. Per model:
 * flag (note and reason code only), review (hold the answer for a person), or block (400).
 */
public final class InjectionGuard implements GuardInput {
    /** What to do with a text scored at or over the threshold. */
    public enum Action {
        FLAG,
        REVIEW,
        BLOCK
    }

    /** A model's setting. */
    public record Policy(Action action, double threshold) {
        public Policy {
            if (!(threshold > 0 && threshold <= 1)) {
                throw new IllegalArgumentException("threshold must be in (0, 1], not " + threshold);
            }
        }
    }

    private final Function<String, @Nullable Policy> policyOfModel;
    private final @Nullable Function<List<String>, List<WindowScore>> classifier;

    /**
     * @param policyOfModel per model name, its setting, or null when it does not check
     * @param classifier the embedding classifier's score of each text, in order (a long text scored by its worst
     *     window), or null to use the heuristics alone
     */
    public InjectionGuard(
            Function<String, @Nullable Policy> policyOfModel,
            @Nullable Function<List<String>, List<WindowScore>> classifier) {
        this.policyOfModel = policyOfModel;
        this.classifier = classifier;
    }

    /** A text the guard reads, and who could have written it. */
    private record Read(String text, String source) {}

    @Override
    public AiRequest check(DecisionDraft draft, AiRequest request) {
        Policy policy =
                draft.spec() == null ? null : policyOfModel.apply(draft.spec().name());
        if (policy == null || !(request instanceof ChatRequest chat)) {
            return request;
        }
        List<Read> reads = reads(chat, draft);
        if (reads.isEmpty()) {
            return request;
        }
        Map<String, Scored> learned = classify(reads);
        double worst = 0;
        String detail = "";
        List<String> windowed = new ArrayList<>();
        for (Read read : reads) {
            InjectionHeuristics.Match h = InjectionHeuristics.find(read.text());
            Scored scored = Objects.requireNonNull(learned.get(read.text()), "every read text is classified");
            WindowScore c = scored.score();
            double heuristic = h == null ? 0 : h.weight();
            double score = Math.max(heuristic, c.probability());
            if (score > worst) {
                worst = score;
                detail = " (" + why(h, c) + ", in " + read.source() + ")";
            }
            if (c.windows() > 1) {
                windowed.add(windows(read.source(), scored));
            }
        }
        detail = String.format(Locale.ROOT, "score %.2f", worst) + detail + windowed(windowed);
        draft.score("injection", worst);
        if (worst < policy.threshold()) {
            draft.note(STAGE, "injection:pass", detail);
            return request;
        }
        draft.reason("PROMPT_INJECTION");
        draft.note(STAGE, "injection:" + policy.action().name().toLowerCase(Locale.ROOT), detail);
        return switch (policy.action()) {
            case FLAG -> request;
            case REVIEW -> {
                draft.requireReview("PROMPT_INJECTION");
                yield request;
            }
            case BLOCK ->
                throw new Stop(
                                STAGE,
                                400,
                                "invalid_request_error",
                                "prompt_injection_detected",
                                "The request looks like a prompt injection (" + detail + ") and was not sent.",
                                "messages")
                        .toException();
        };
    }

    /**
     * What a caller or a document could have written: user messages, tool and function results (retrieved or fetched
     * documents, where indirect injection hides) and the prompt variables the caller filled in. System and developer
     * messages are the application's own, and assistant turns the model's.
     */
    private static List<Read> reads(ChatRequest chat, DecisionDraft draft) {
        List<Read> reads = new ArrayList<>();
        for (ChatMessage m : chat.messages()) {
            String source = switch (m.role()) {
                case "user" -> "user";
                case "tool", "function" -> "document";
                default -> null;
            };
            if (source != null && m.text() != null && !m.text().isBlank()) {
                reads.add(new Read(m.text(), source));
            }
        }
        for (String variable : draft.untrusted()) {
            if (variable != null && !variable.isBlank()) {
                reads.add(new Read(variable, "prompt variable"));
            }
        }
        return reads;
    }

    /** The classifier's score of a text, and whether its worst window is a run of sentences. */
    private record Scored(WindowScore score, boolean sentences) {}

    /**
     * The classifier's score of each distinct text: a text sent twice (a quoted document, say) is embedded once. A
     * document or prompt variable is also scored in windows of two sentences ({@link SentenceWindows}), all in the same
     * classifier call: an attack sentence inside a benign document is not diluted by it.
     */
    private Map<String, Scored> classify(List<Read> reads) {
        List<String> distinct = reads.stream().map(Read::text).distinct().toList();
        List<String> bySentence = reads.stream()
                .filter(r -> !r.source().equals("user"))
                .map(Read::text)
                .distinct()
                .toList();
        List<Scored> scored = score(distinct, bySentence::contains, classifier);
        Map<String, Scored> byText = new HashMap<>();
        for (int i = 0; i < distinct.size(); i++) {
            byText.put(distinct.get(i), scored.get(i));
        }
        return byText;
    }

    /**
     * Scores documents (tool results, retrieved text) as the guard does: the whole text in the model's windows and,
     * besides, in windows of two sentences; the worst window decides. For the injection eval, which must score what the
     * guard scores.
     *
     * @param classifier the embedding classifier, as given to the guard
     */
    public static List<WindowScore> scoreDocuments(
            List<String> documents, Function<List<String>, List<WindowScore>> classifier) {
        return score(documents, text -> true, classifier).stream()
                .map(Scored::score)
                .toList();
    }

    private static List<Scored> score(
            List<String> texts,
            Predicate<String> bySentence,
            @Nullable Function<List<String>, List<WindowScore>> classifier) {
        List<String> batch = new ArrayList<>(texts);
        List<List<SentenceWindows.Span>> spans = new ArrayList<>();
        for (String text : texts) {
            List<SentenceWindows.Span> of =
                    classifier != null && bySentence.test(text) ? SentenceWindows.of(text) : List.of();
            spans.add(of);
            of.forEach(span -> batch.add(text.substring(span.start(), span.end())));
        }
        List<WindowScore> scores =
                classifier == null ? batch.stream().map(WindowScore::none).toList() : classifier.apply(batch);
        if (scores.size() != batch.size()) {
            throw new IllegalStateException(
                    "the injection classifier scored " + scores.size() + " of " + batch.size() + " texts");
        }
        List<Scored> result = new ArrayList<>();
        int next = texts.size();
        for (int i = 0; i < texts.size(); i++) {
            Scored best = new Scored(scores.get(i), false);
            List<SentenceWindows.Span> of = spans.get(i);
            for (int j = 0; j < of.size(); j++) {
                WindowScore w = scores.get(next++);
                if (w.probability() > best.score().probability()) {
                    SentenceWindows.Span span = of.get(j);
                    best = new Scored(
                            new WindowScore(
                                    w.probability(), j, of.size(), span.start() + w.start(), span.start() + w.end()),
                            true);
                }
            }
            result.add(best);
        }
        return result;
    }

    private static String why(InjectionHeuristics.@Nullable Match h, WindowScore c) {
        if (h != null && h.weight() >= c.probability()) {
            return "heuristic " + h.signal() + " at chars " + h.start() + "-" + h.end();
        }
        return "classifier";
    }

    /** For a text read in several windows: how many, which scored worst, where it lies and its score. */
    private static String windows(String source, Scored scored) {
        WindowScore c = scored.score();
        return String.format(
                Locale.ROOT,
                "%s: %d %s, worst #%d at chars %d-%d scored %.2f",
                source,
                c.windows(),
                scored.sentences() ? "sentence windows" : "windows",
                c.window() + 1,
                c.start(),
                c.end(),
                c.probability());
    }

    /** The texts read in windows, the first few of them: a note stays short however many documents a call carries. */
    private static String windowed(List<String> texts) {
        if (texts.isEmpty()) {
            return "";
        }
        int shown = Math.min(texts.size(), NOTED_WINDOWED_TEXTS);
        String more = texts.size() > shown ? "; and " + (texts.size() - shown) + " more" : "";
        return "; read in windows: " + String.join("; ", texts.subList(0, shown)) + more;
    }

    private static final int NOTED_WINDOWED_TEXTS = 5;
}
