package dev.airlock.pipeline;

import dev.airlock.provider.AiAnswer;
import dev.airlock.provider.AiRequest;
import dev.airlock.provider.ChatMessage;
import dev.airlock.provider.ChatRequest;
import dev.airlock.provider.ChatResult;
import dev.airlock.provider.EmbeddingRequest;
import dev.airlock.provider.EmbeddingResult;
import dev.airlock.provider.PredictRequest;
import dev.airlock.provider.Prediction;
import dev.airlock.provider.StreamSummary;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Input and output as text a reviewer, an auditor or a policy can read. */
public final class ContentText {
    private ContentText() {}

    public static String of(AiRequest request) {
        return switch (request) {
            case ChatRequest chat -> {
                var text = new StringBuilder();
                for (ChatMessage m : chat.messages()) {
                    text.append(m.role())
                            .append(": ")
                            .append(m.text() == null ? "" : m.text())
                            .append('\n');
                }
                yield text.toString();
            }
            case EmbeddingRequest embed -> String.join("\n", embed.inputs());
            case PredictRequest predict -> lines(new TreeMap<>(predict.features()));
        };
    }

    public static String of(AiAnswer answer) {
        return switch (answer) {
            case ChatResult chat -> chat.text();
            case StreamSummary summary -> summary.text();
            case EmbeddingResult embedding ->
                embedding.vectors().size() + " vector(s) of "
                        + (embedding.vectors().isEmpty()
                                ? 0
                                : embedding.vectors().getFirst().length)
                        + " dimensions";
            case Prediction prediction ->
                "label=" + prediction.label() + "\n" + lines(new TreeMap<>(prediction.probabilities()));
        };
    }

    private static String lines(Map<String, ?> values) {
        return values.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n"));
    }
}
