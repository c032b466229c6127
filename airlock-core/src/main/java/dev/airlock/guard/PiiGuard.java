package dev.airlock.guard;

import dev.airlock.decision.Stop;
import dev.airlock.pii.PiiDetector;
import dev.airlock.pipeline.DecisionDraft;
import dev.airlock.pipeline.GuardInput;
import dev.airlock.provider.AiRequest;
import dev.airlock.provider.ChatMessage;
import dev.airlock.provider.ChatRequest;
import dev.airlock.provider.EmbeddingRequest;
import dev.airlock.provider.PredictRequest;
import dev.airlock.registry.ModelCatalog;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The guard input stage for personal data: per model, found data of the listed types is redacted (replaced by
 * {@code [EMAIL]}, {@code [CARD]}, ...) before the request leaves, or the request is refused. The Decision notes
 * what was found and done, never the values.
 */
public final class PiiGuard implements GuardInput {

    /** What to do with findings. */
    public enum Action {
        /** Replace with the type, e.g. {@code [EMAIL]}; the value is gone for good. */
        REDACT,
        /**
         * Replace with a numbered placeholder, e.g. {@code [EMAIL_1]} (the same value, the same placeholder); the values
         * are put back into the answer the caller gets. The provider never sees them.
         */
        TOKENIZE,
        /**
         * Replace all but what a person needs to recognise the value: the last four letters or digits (a card reads
         * {@code **** **** **** 1111}), an e-mail's first letter and domain ({@code j***@example.com}).
         */
        MASK,
        /** Refuse the call. */
        BLOCK
    }

    /** A model's PII policy. */
    public record Policy(Action action, Set<PiiDetector.Type> types) {}

    private final PiiDetector detector = new PiiDetector();
    private final Function<String, @Nullable Policy> policyOfModel;

    /** @param policyOfModel the policy of a model by name, or null when the model has none */
    public PiiGuard(Function<String, @Nullable Policy> policyOfModel) {
        this.policyOfModel = policyOfModel;
    }

    @Override
    public AiRequest check(DecisionDraft draft, AiRequest request) {
        Policy policy = policyOfModel.apply(
                draft.spec() != null ? draft.spec().name() : ModelCatalog.baseName(request.model()));
        if (policy == null || !(request instanceof ChatRequest || request instanceof EmbeddingRequest)) {
            return request;
        }
        Map<PiiDetector.Type, Integer> counts = new EnumMap<>(PiiDetector.Type.class);
        @Nullable Tokens tokens = policy.action() == Action.TOKENIZE ? new Tokens(draft) : null;
        if (tokens != null && request instanceof ChatRequest chat && chat.stream()) {
            throw new Stop(
                            STAGE,
                            400,
                            "invalid_request_error",
                            "tokenization_requires_complete_answer",
                            "Personal data in calls to this model is tokenized and put back into the complete answer;"
                                    + " call it without stream.",
                            "stream")
                    .toException();
        }
        AiRequest checked = switch (request) {
            case ChatRequest chat -> {
                List<ChatMessage> messages = new ArrayList<>(chat.messages().size());
                for (ChatMessage m : chat.messages()) {
                    String text = redact(m.text(), policy, counts, tokens);
                    messages.add(new ChatMessage(m.role(), text, replaceText(m.fields(), text, policy, tokens)));
                }
                yield new ChatRequest(chat.model(), messages, chat.options(), chat.stream(), chat.includeUsage());
            }
            case EmbeddingRequest embed ->
                new EmbeddingRequest(
                        embed.model(),
                        embed.inputs().stream()
                                .map(t -> redact(t, policy, counts, tokens))
                                .toList(),
                        embed.options());
            case PredictRequest predict -> predict;
        };
        if (counts.isEmpty()) {
            draft.note(STAGE, "pass", "no personal data found");
            return request;
        }
        String found = counts.entrySet().stream()
                .map(e -> e.getKey().id() + " x" + e.getValue())
                .collect(Collectors.joining(", "));
        if (policy.action() == Action.BLOCK) {
            draft.note(STAGE, "blocked", found);
            draft.reason("PII_BLOCKED");
            throw new Stop(
                            STAGE,
                            400,
                            "invalid_request_error",
                            "personal_data_refused",
                            "The request contains personal data this model may not receive (" + found + ").",
                            "messages")
                    .toException();
        }
        draft.note(STAGE, tokens != null ? "tokenized" : policy.action() == Action.MASK ? "masked" : "redacted", found);
        return checked;
    }

    /**
     * The message's wire fields with its text replaced: a plain {@code content} string, or the text parts of a
     * multi-part message ({@code content: [{type: text, text: ...}, ...]}) in place.
     */
    private Map<String, Object> replaceText(
            Map<String, Object> fields, String text, Policy policy, @Nullable Tokens tokens) {
        Object content = fields.get("content");
        if (content instanceof String) {
            Map<String, Object> copy = new LinkedHashMap<>(fields);
            copy.put("content", text);
            return copy;
        }
        if (!(content instanceof List<?> parts)) {
            return fields;
        }
        List<Object> redacted = new ArrayList<>(parts.size());
        Map<PiiDetector.Type, Integer> ignored = new EnumMap<>(PiiDetector.Type.class);
        for (Object part : parts) {
            if (part instanceof Map<?, ?> map && map.get("text") instanceof String partText) {
                Map<Object, Object> copy = new LinkedHashMap<>(map);
                copy.put("text", redact(partText, policy, ignored, tokens));
                redacted.add(copy);
            } else {
                redacted.add(part);
            }
        }
        Map<String, Object> copy = new LinkedHashMap<>(fields);
        copy.put("content", redacted);
        return copy;
    }

    private String redact(String text, Policy policy, Map<PiiDetector.Type, Integer> counts, @Nullable Tokens tokens) {
        var findings = detector.find(text, policy.types());
        if (findings.isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int at = 0;
        for (var f : findings) {
            out.append(text, at, f.start());
            if (tokens != null) {
                out.append(tokens.placeholderFor(f.type(), text.substring(f.start(), f.end())));
            } else if (policy.action() == Action.MASK) {
                out.append(mask(f.type(), text.substring(f.start(), f.end())));
            } else {
                out.append('[').append(f.type().name()).append(']');
            }
            at = f.end();
            counts.merge(f.type(), 1, Integer::sum);
        }
        return out.append(text.substring(at)).toString();
    }

    /** Numbered placeholders for one call; the same value gets the same placeholder. */
    private static final class Tokens {
        private final DecisionDraft draft;
        private final Map<String, String> byValue = new HashMap<>();
        private final Map<PiiDetector.Type, Integer> next = new EnumMap<>(PiiDetector.Type.class);

        Tokens(DecisionDraft draft) {
            this.draft = draft;
        }

        String placeholderFor(PiiDetector.Type type, String value) {
            return byValue.computeIfAbsent(type.name() + "\u0000" + value, k -> {
                int n = next.merge(type, 1, Integer::sum);
                String placeholder = "[" + type.name() + "_" + n + "]";
                draft.token(placeholder, value);
                return placeholder;
            });
        }
    }

    /** The value with all but its last four letters or digits starred; an e-mail keeps its first letter and domain. */
    static String mask(PiiDetector.Type type, String value) {
        if (type == PiiDetector.Type.EMAIL && value.indexOf('@') > 0) {
            int at = value.indexOf('@');
            return value.charAt(0) + "***" + value.substring(at);
        }
        int keep = 4;
        StringBuilder out = new StringBuilder(value);
        for (int i = out.length() - 1; i >= 0; i--) {
            if (Character.isLetterOrDigit(out.charAt(i))) {
                if (keep > 0) {
                    keep--;
                } else {
                    out.setCharAt(i, '*');
                }
            }
        }
        return out.toString();
    }

    /** Every type, for policies that list none. */
    public static Set<PiiDetector.Type> allTypes() {
        return Set.of(PiiDetector.Type.values());
    }
}
