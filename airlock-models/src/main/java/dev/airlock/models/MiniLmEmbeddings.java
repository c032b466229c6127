package dev.airlock.models;

import dev.airlock.decision.Stop;
import dev.airlock.decision.Usage;
import dev.airlock.pipeline.Invoke;
import dev.airlock.provider.EmbeddingProvider;
import dev.airlock.provider.EmbeddingRequest;
import dev.airlock.provider.EmbeddingResult;
import dev.airlock.provider.ProviderException;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.output.Response;
import java.util.List;

/**
 * The all-MiniLM-L6-v2 sentence embedding model, run in-process on ONNX Runtime: 384-dimensional, unit-length vectors
 * (mean pooling, then L2 normalisation), so the dot product of two vectors is their cosine similarity. The model and
 * its tokenizer ship inside the langchain4j artifact; nothing is downloaded.
 *
 * <pre>{@code
 * EmbeddingProvider minilm = new MiniLmEmbeddings("minilm");
 * EmbeddingResult result = minilm.embed(MiniLmEmbeddings.MODEL,
 *         new EmbeddingRequest("embed", List.of("How do I reset my password?"), Map.of()));
 * float[] vector = result.vectors().getFirst(); // 384 floats, norm 1
 * }</pre>
 *
 * <p>The model reads at most {@value #MAX_TOKENS} tokens per input, two of them the {@code [CLS]} and {@code [SEP]}
 * markers, as sentence-transformers configures it, so the vectors match that reference implementation. A longer
 * input is refused with a 400 rather than silently cut: split it first. Usage counts each input's word pieces, without
 * the markers. Thread-safe; the inputs of one request are embedded in parallel.
 */
public final class MiniLmEmbeddings implements EmbeddingProvider {
    /** The model's name, as reported in every result. */
    public static final String MODEL = "all-minilm-l6-v2";

    /** The length of every vector. */
    public static final int DIMENSIONS = 384;

    /** The most tokens the model reads from one input, {@code [CLS]} and {@code [SEP]} included. */
    public static final int MAX_TOKENS = 256;

    /** The most inputs one request may carry, as OpenAI allows. */
    public static final int MAX_INPUTS = 2048;

    private final String name;

    /**
     * Creates the provider. The first instance in a JVM loads the model (about 90 MB, a second or two); later ones
     * share it.
     *
     * @param name the provider's name in the configuration
     */
    public MiniLmEmbeddings(String name) {
        this.name = name;
        MiniLmRuntime.shared();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String version() {
        return MODEL;
    }

    /**
     * Embeds each input, in order.
     *
     * @param upstreamModel ignored: this provider serves one model, {@link #MODEL}
     * @throws Stop.Stopped (400) when there are no inputs or too many, when one is empty or longer than the model
     *     reads, or when {@code dimensions} asks for a length other than 384
     * @throws ProviderException ({@link ProviderException.Kind#INTERNAL}) when the model fails
     */
    @Override
    public EmbeddingResult embed(String upstreamModel, EmbeddingRequest request) {
        MiniLmRuntime runtime = MiniLmRuntime.shared();
        validate(request, runtime);
        List<TextSegment> segments =
                request.inputs().stream().map(TextSegment::from).toList();
        Response<List<Embedding>> response;
        try {
            response = runtime.model().embedAll(segments);
        } catch (RuntimeException e) {
            throw new ProviderException(
                    ProviderException.Kind.INTERNAL,
                    MODEL + " failed to embed " + segments.size() + " input(s): " + e.getMessage(),
                    e);
        }
        List<float[]> vectors =
                response.content().stream().map(Embedding::vector).toList();
        Integer tokens =
                response.tokenUsage() == null ? null : response.tokenUsage().inputTokenCount();
        return new EmbeddingResult(vectors, new Usage(tokens == null ? 0 : tokens, 0), MODEL);
    }

    private static void validate(EmbeddingRequest request, MiniLmRuntime runtime) {
        List<String> inputs = request.inputs();
        if (inputs.isEmpty()) {
            throw invalid("input", "input: expected at least one text, got none");
        }
        if (inputs.size() > MAX_INPUTS) {
            throw invalid("input", "input: expected at most " + MAX_INPUTS + " texts, got " + inputs.size());
        }
        for (int i = 0; i < inputs.size(); i++) {
            validateText(i, inputs.get(i), runtime);
        }
        Object dimensions = request.options().get("dimensions");
        if (dimensions != null && !(dimensions instanceof Number n && n.doubleValue() == DIMENSIONS)) {
            throw invalid(
                    "dimensions", "dimensions: " + MODEL + " gives " + DIMENSIONS + " dimensions, got " + dimensions);
        }
    }

    private static void validateText(int index, String text, MiniLmRuntime runtime) {
        String param = "input[" + index + "]";
        if (text == null || text.isBlank()) {
            String got = text == null ? "null" : text.isEmpty() ? "an empty string" : "only whitespace";
            throw invalid(param, param + ": expected text to embed, got " + got);
        }
        int wordPieces = runtime.countWordPieces(text);
        if (wordPieces > MAX_TOKENS - 2) {
            throw invalid(
                    param,
                    param + ": " + wordPieces + " tokens, more than the " + (MAX_TOKENS - 2) + " " + MODEL
                            + " reads; split the text into shorter passages");
        }
    }

    private static Stop.Stopped invalid(String param, String message) {
        return Stop.invalid(Invoke.STAGE, param, message).toException();
    }
}
