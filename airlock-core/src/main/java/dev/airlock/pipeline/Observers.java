package dev.airlock.pipeline;

import dev.airlock.decision.Decision;
import dev.airlock.provider.AiAnswer;
import dev.airlock.provider.AiRequest;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a watcher so that its failure is logged and goes no further: the caller already has a durable Decision. */
final class Observers {
    private static final Logger LOG = LoggerFactory.getLogger(Observers.class);

    private Observers() {}

    static void safely(Observe watcher, Decision decision, AiRequest request, @Nullable AiAnswer answer) {
        try {
            watcher.observe(decision, request, answer);
        } catch (RuntimeException e) {
            LOG.warn("a watcher failed on decision {}; the decision stands", decision.id(), e);
        }
    }
}
