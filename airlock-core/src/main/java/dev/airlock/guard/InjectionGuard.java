package dev.airlock.guard;

import dev.airlock.decision.Stop;
import dev.airlock.pipeline.DecisionDraft;
import dev.airlock.pipeline.GuardInput;
import dev.airlock.provider.AiRequest;
import dev.airlock.provider.ChatMessage;
import dev.airlock.provider.ChatRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Prompt-injection detection on the guard-input stage, in two layers: {@link InjectionHeuristics} and an embedding
 * classifier. It reads what a caller or a retrieved document could have written — user messages and tool results
 * (documents returned by retrieval or tools: indirect injection) — and scores each text as the higher of the two
 * layers. Per model: flag (note and reason code only), review (hold the answer for a person), or block (400).
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

    private final Function<String, Policy> policyOfModel;
    private final Function<List<String>, double[]> classifier;

    /**
     * @param policyOfModel per model name, its setting, or null when it does not check
     * @param classifier the embedding classifier's probability per text, or null to use the heuristics alone
     */
    public InjectionGuard(Function<String, Policy> policyOfModel, Function<List<String>, double[]> classifier) {
        this.policyOfModel = policyOfModel;
        this.classifier = classifier;
    }

    @Override
    public AiRequest check(DecisionDraft draft, AiRequest request) {
        Policy policy =
                draft.spec() == null ? null : policyOfModel.apply(draft.spec().name());
        if (policy == null || !(request instanceof ChatRequest chat)) {
            return request;
        }
        List<String> texts = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (ChatMessage m : chat.messages()) {
            if ((m.role().equals("user") || m.role().equals("tool"))
                    && m.text() != null
                    && !m.text().isBlank()) {
                texts.add(m.text());
                sources.add(m.role().equals("tool") ? "document" : "user");
            }
        }
        for (String variable : draft.untrusted()) {
            texts.add(variable);
            sources.add("prompt variable");
        }
        if (texts.isEmpty()) {
            return request;
        }
        double[] learned = classifier == null ? new double[texts.size()] : classifier.apply(texts);
        double worst = 0;
        String where = null;
        String why = null;
        for (int i = 0; i < texts.size(); i++) {
            double h = InjectionHeuristics.score(texts.get(i));
            double score = Math.max(h, learned[i]);
            if (score > worst) {
                worst = score;
                where = sources.get(i);
                why = h >= learned[i] ? "heuristic " + InjectionHeuristics.signal(texts.get(i)) : "classifier";
            }
        }
        draft.score("injection", worst);
        String detail = String.format(
                Locale.ROOT, "score %.2f%s", worst, why == null ? "" : " (" + why + ", in " + where + ")");
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
}
