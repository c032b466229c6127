package dev.airlock.pipeline;

import dev.airlock.provider.AiAnswer;
import dev.airlock.provider.AiRequest;
import dev.airlock.provider.ChatRequest;
import dev.airlock.provider.ChatResult;
import dev.airlock.provider.EmbeddingResult;
import dev.airlock.provider.Prediction;
import dev.airlock.provider.StreamSummary;
import dev.airlock.provider.Vectors;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Runs shadow copies off the caller's path: on virtual threads, at most {@code maxInFlight} at once. A copy that
 * finds no room is skipped and counted, so a slow shadow version never slows production or piles up memory.
 */
final class Shadows implements AutoCloseable {
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore room;
    private final AtomicLong skipped = new AtomicLong();

    Shadows(int maxInFlight) {
        this.room = new Semaphore(maxInFlight);
    }

    /** Runs {@code copy} unless {@code maxInFlight} copies are running already; returns whether it was started. */
    boolean submit(Runnable copy) {
        if (!room.tryAcquire()) {
            skipped.incrementAndGet();
            return false;
        }
        executor.execute(() -> {
            try {
                copy.run();
            } finally {
                room.release();
            }
        });
        return true;
    }

    long skipped() {
        return skipped.get();
    }

    /** The request the shadow gets: a streamed call is copied as one that is not streamed. */
    static AiRequest copyOf(AiRequest request) {
        if (request instanceof ChatRequest chat && chat.stream()) {
            return new ChatRequest(chat.model(), chat.messages(), chat.options(), false, false);
        }
        return request;
    }

    /** Whether a shadow answer agrees with production's. */
    static boolean agree(@Nullable AiAnswer production, @Nullable AiAnswer shadow) {
        if (production == null || shadow == null) {
            return false;
        }
        return switch (production) {
            case ChatResult chat -> normalized(chat.text()).equals(normalized(textOf(shadow)));
            case StreamSummary summary -> normalized(summary.text()).equals(normalized(textOf(shadow)));
            case Prediction p -> shadow instanceof Prediction q && p.label().equals(q.label());
            case EmbeddingResult e -> shadow instanceof EmbeddingResult f && close(e, f);
        };
    }

    private static @Nullable String textOf(AiAnswer answer) {
        return answer instanceof ChatResult chat ? chat.text() : null;
    }

    private static String normalized(@Nullable String text) {
        return text == null ? "" : text.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    private static boolean close(EmbeddingResult a, EmbeddingResult b) {
        if (a.vectors().size() != b.vectors().size()) {
            return false;
        }
        for (int i = 0; i < a.vectors().size(); i++) {
            float[] x = a.vectors().get(i);
            float[] y = b.vectors().get(i);
            if (x.length != y.length || Vectors.cosine(x, y) < 0.99) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        executor.shutdown();
    }
}
