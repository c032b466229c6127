package dev.airlock.models;

import ai.onnxruntime.OrtException;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

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
 *
 * <p>Readers that must see all of a text of any length (the prompt-injection classifier) use {@link #embedInWindows},
 * which reads a long text in overlapping windows ({@link TokenWindows}) instead of refusing it.
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

    /**
     * The most windows of one long text that go through the model in one ONNX call: fewer calls save per-call
     * overhead, and the bound keeps the memory of one call small and lets a very long text spread over the cores.
     */
    public static final int WINDOWS_PER_RUN = 16;

    private final String name;

    /**
     * Creates the provider. The model (about 90 MB, a second or two, and some 200 MB of memory) is loaded by the first
     * call in a JVM, not here, so that a node starts, and idles, without it until something is embedded or scored;
     * every instance shares it.
     *
     * @param name the provider's name in the configuration
     */
    public MiniLmEmbeddings(String name) {
        this.name = name;
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

    /**
     * One window of a text and its vector.
     *
     * @param index the window's position among the text's windows, from 0
     * @param count how many windows the text has (1 when it was read whole)
     * @param start the window's first character in the text (a UTF-16 index)
     * @param end the character after the window's last
     * @param vector its unit-length embedding
     */
    public record TextWindow(int index, int count, int start, int end, float[] vector) {}

    /**
     * Embeds each text, however long, never refusing one for its length: a text that fits the model is embedded whole,
     * exactly as {@link #embed} does and at the same cost; a longer one in the overlapping windows of
     * {@link TokenWindows#plan}, cut from the model's own word pieces (nothing is truncated or re-tokenized), its
     * windows run through the model in batches of up to {@value #WINDOWS_PER_RUN} per ONNX call.
     *
     * <pre>{@code
     * List<List<TextWindow>> windows = minilm.embedInWindows(List.of(shortQuestion, longDocument));
     * windows.get(0).size(); // 1
     * windows.get(1).size(); // e.g. 4 for a document of 600 word pieces
     * }</pre>
     *
     * @throws IllegalArgumentException when a text is null or blank
     * @throws ProviderException ({@link ProviderException.Kind#INTERNAL}) when the model fails
     */
    public List<List<TextWindow>> embedInWindows(List<String> texts) {
        MiniLmRuntime runtime = MiniLmRuntime.shared();
        List<MiniLmRuntime.Tokens> tokens = new ArrayList<>(texts.size());
        List<Integer> whole = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException("text " + i + " is " + (text == null ? "null" : "blank"));
            }
            MiniLmRuntime.Tokens t = runtime.tokens(text);
            tokens.add(t);
            if (t.ids().length > 0 && t.ids().length <= TokenWindows.WHOLE) {
                whole.add(i);
            }
        }
        List<TextWindow>[] result = newResult(texts.size());
        embedWhole(runtime, texts, whole, result);
        embedLong(runtime, texts, tokens, result);
        return List.of(result);
    }

    /**
     * One vector per text, however long: a text that fits the model gets {@link #embed}'s vector; a longer one the
     * unit-length mean of its windows' vectors, for readers that compare whole texts (the grounding check) and must
     * never refuse one for its length.
     *
     * @throws IllegalArgumentException when a text is null or blank
     */
    public List<float[]> embedWhole(List<String> texts) {
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (List<TextWindow> windows : embedInWindows(texts)) {
            vectors.add(windows.size() == 1 ? windows.get(0).vector() : unitMean(windows));
        }
        return vectors;
    }

    private static float[] unitMean(List<TextWindow> windows) {
        float[] mean = new float[windows.get(0).vector().length];
        for (TextWindow w : windows) {
            for (int d = 0; d < mean.length; d++) {
                mean[d] += w.vector()[d];
            }
        }
        double norm = 0;
        for (float v : mean) {
            norm += v * v;
        }
        float scale = norm == 0 ? 0 : (float) (1 / Math.sqrt(norm));
        for (int d = 0; d < mean.length; d++) {
            mean[d] *= scale;
        }
        return mean;
    }

    @SuppressWarnings("unchecked")
    private static List<TextWindow>[] newResult(int size) {
        return (List<TextWindow>[]) new List<?>[size];
    }

    /** Texts that fit the model: one call, embedded side by side, the same vectors as {@link #embed}. */
    private static void embedWhole(
            MiniLmRuntime runtime, List<String> texts, List<Integer> whole, List<TextWindow>[] result) {
        if (whole.isEmpty()) {
            return;
        }
        List<TextSegment> segments =
                whole.stream().map(i -> TextSegment.from(texts.get(i))).toList();
        List<Embedding> vectors;
        try {
            vectors = runtime.model().embedAll(segments).content();
        } catch (RuntimeException e) {
            throw failed(segments.size(), e);
        }
        for (int k = 0; k < whole.size(); k++) {
            int i = whole.get(k);
            result[i] = List.of(new TextWindow(
                    0, 1, 0, texts.get(i).length(), vectors.get(k).vector()));
        }
    }

    /**
     * Texts longer than the model reads (or with no word piece at all): their windows, in runs of equal-length windows
     * of one text, spread over the embedding pool.
     */
    private static void embedLong(
            MiniLmRuntime runtime, List<String> texts, List<MiniLmRuntime.Tokens> tokens, List<TextWindow>[] result) {
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            if (result[i] != null) {
                continue;
            }
            MiniLmRuntime.Tokens t = tokens.get(i);
            List<TokenWindows.Window> plan =
                    t.ids().length == 0 ? List.of(new TokenWindows.Window(0, 0)) : TokenWindows.plan(t.ids().length);
            TextWindow[] windows = new TextWindow[plan.size()];
            result[i] = Arrays.asList(windows);
            int text = i;
            int perRun = runLength(plan.size());
            for (int from = 0; from < plan.size(); from += perRun) {
                List<TokenWindows.Window> run = plan.subList(from, Math.min(plan.size(), from + perRun));
                int first = from;
                runs.add(CompletableFuture.runAsync(
                        () -> embedRun(runtime, texts.get(text), t, plan.size(), first, run, windows),
                        runtime.executor()));
            }
        }
        try {
            CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof ProviderException p ? p : failed(runs.size(), e.getCause());
        }
        for (int i = 0; i < result.length; i++) {
            result[i] = List.copyOf(result[i]);
        }
    }

    /**
     * Windows per ONNX call: as few calls as keep every core busy on one long text (the latency a caller waits), at
     * most {@value #WINDOWS_PER_RUN}.
     */
    static int runLength(int windows) {
        int cores = Runtime.getRuntime().availableProcessors();
        return Math.max(1, Math.min(WINDOWS_PER_RUN, (windows + cores - 1) / cores));
    }

    private static void embedRun(
            MiniLmRuntime runtime,
            String text,
            MiniLmRuntime.Tokens t,
            int count,
            int first,
            List<TokenWindows.Window> run,
            TextWindow[] into) {
        List<long[]> ids = run.stream()
                .map(w -> Arrays.copyOfRange(t.ids(), w.from(), w.to()))
                .toList();
        float[][] vectors;
        try {
            vectors = runtime.embedWindows(ids);
        } catch (OrtException | RuntimeException e) {
            throw failed(ids.size(), e);
        }
        for (int k = 0; k < run.size(); k++) {
            TokenWindows.Window w = run.get(k);
            int start = w.length() == 0 ? 0 : t.starts()[w.from()];
            int end = w.length() == 0 ? text.length() : t.ends()[w.to() - 1];
            into[first + k] = new TextWindow(first + k, count, start, end, vectors[k]);
        }
    }

    private static ProviderException failed(int inputs, @Nullable Throwable e) {
        return new ProviderException(
                ProviderException.Kind.INTERNAL,
                MODEL + " failed to embed " + inputs + " input(s): " + (e == null ? null : e.getMessage()),
                e);
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
