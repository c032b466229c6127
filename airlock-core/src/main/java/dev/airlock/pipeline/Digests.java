package dev.airlock.pipeline;

import dev.airlock.audit.Sha256;
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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** SHA-256 fingerprints of inputs and outputs, so a record can prove what went in and out without keeping it. */
final class Digests {
    private Digests() {}

    static String of(AiRequest request) {
        MessageDigest md = Sha256.digest();
        switch (request) {
            case ChatRequest chat -> {
                for (ChatMessage m : chat.messages()) {
                    update(md, m.role());
                    update(md, m.text());
                }
            }
            case EmbeddingRequest embed -> embed.inputs().forEach(input -> update(md, input));
            case PredictRequest predict ->
                new TreeMap<>(predict.features()).forEach((k, v) -> {
                    update(md, k);
                    update(md, String.valueOf(v));
                });
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static String of(AiAnswer answer) {
        MessageDigest md = Sha256.digest();
        switch (answer) {
            case ChatResult chat -> update(md, chat.text());
            case StreamSummary summary -> update(md, summary.text());
            case EmbeddingResult embedding ->
                embedding.vectors().forEach(v -> {
                    ByteBuffer bytes = ByteBuffer.allocate(v.length * Float.BYTES);
                    bytes.asFloatBuffer().put(v);
                    md.update(bytes.array());
                });
            case Prediction prediction -> {
                update(md, prediction.label());
                for (Map.Entry<String, Double> e : new TreeMap<>(prediction.probabilities()).entrySet()) {
                    update(md, e.getKey() + "=" + e.getValue());
                }
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Length-prefixed, so that ("ab","c") and ("a","bc") differ. */
    private static void update(MessageDigest md, String value) {
        byte[] bytes = (value == null ? "" : value).getBytes(StandardCharsets.UTF_8);
        md.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        md.update(bytes);
    }
}
