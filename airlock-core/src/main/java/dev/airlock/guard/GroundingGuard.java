package dev.airlock.guard;

import dev.airlock.decision.Stop;
import dev.airlock.pipeline.DecisionDraft;
import dev.airlock.pipeline.GuardOutput;
import dev.airlock.provider.AiAnswer;
import dev.airlock.provider.AiRequest;
import dev.airlock.provider.ChatMessage;
import dev.airlock.provider.ChatRequest;
import dev.airlock.provider.ChatResult;
import dev.airlock.provider.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The grounding check on the guard-output stage: when a chat call carries retrieved passages (tool results), each
 * sentence of the answer must be close in meaning (cosine similarity of embeddings) to some sentence of the passages.
 * Sentences without support are counted and quoted in the Decision; per model the answer is then flagged, held for
 * review, or refused. Policies see the unsupported share as {@code guard.ungrounded}.
 */
public final class GroundingGuard implements GuardOutput {
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+|\\n+");

    /** What to do with an answer that has unsupported sentences. */
    public enum Action {
        FLAG,
        REVIEW,
        BLOCK
    }

    /** A model's setting: sentences under {@code threshold} similarity to every passage sentence are unsupported. */
    public record Policy(Action action, double threshold) {}

    private final Function<String, Policy> policyOfModel;
    private final Function<List<String>, List<float[]>> embed;

    public GroundingGuard(Function<String, Policy> policyOfModel, Function<List<String>, List<float[]>> embed) {
        this.policyOfModel = policyOfModel;
        this.embed = embed;
    }

    @Override
    public AiAnswer check(DecisionDraft draft, AiRequest request, AiAnswer answer) {
        Policy policy =
                draft.spec() == null ? null : policyOfModel.apply(draft.spec().name());
        if (policy == null || !(request instanceof ChatRequest chat) || !(answer instanceof ChatResult result)) {
            return answer;
        }
        List<String> passages = new ArrayList<>();
        for (ChatMessage m : chat.messages()) {
            if (m.role().equals("tool") && m.text() != null) {
                passages.addAll(sentences(m.text()));
            }
        }
        List<String> claims = sentences(result.text());
        if (passages.isEmpty() || claims.isEmpty()) {
            return answer;
        }
        List<String> all = new ArrayList<>(claims);
        all.addAll(passages);
        List<float[]> vectors = embed.apply(all);
        List<String> unsupported = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < claims.size(); i++) {
            double best = 0;
            for (int j = claims.size(); j < all.size(); j++) {
                best = Math.max(best, Vectors.cosine(vectors.get(i), vectors.get(j)));
            }
            if (best < policy.threshold()) {
                unsupported.add(claims.get(i));
                positions.add(i + 1);
            }
        }
        double share = (double) unsupported.size() / claims.size();
        String unsupportedAt = positions.stream().map(String::valueOf).collect(Collectors.joining(", "));
        draft.score("ungrounded", share);
        if (unsupported.isEmpty()) {
            draft.note(STAGE, "grounded", "all " + claims.size() + " sentence(s) supported by the passages");
            return answer;
        }
        // positions, not text: notes are kept whatever the model's retention policy says about content
        String detail = String.format(
                Locale.ROOT,
                "%d of %d sentence(s) without support in the passages (sentence %s)",
                unsupported.size(),
                claims.size(),
                unsupportedAt);
        draft.reason("UNGROUNDED");
        draft.note(STAGE, "ungrounded:" + policy.action().name().toLowerCase(Locale.ROOT), detail);
        switch (policy.action()) {
            case FLAG -> {}
            case REVIEW -> draft.requireReview("UNGROUNDED");
            case BLOCK ->
                throw new Stop(
                                STAGE,
                                422,
                                "invalid_request_error",
                                "ungrounded_answer",
                                "The answer has " + detail + ".",
                                null)
                        .toException();
        }
        return answer;
    }

    /** Sentences of at least four words: shorter ones ("Sure.", "Here it is:") carry no claim. */
    static List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String s : SENTENCE_END.split(text.strip())) {
            String t = s.strip();
            if (t.split("\\s+").length >= 4) {
                out.add(t);
            }
        }
        return out;
    }
}
