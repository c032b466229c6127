package dev.airlock.server.audit;

import dev.airlock.audit.AuditChain;
import dev.airlock.audit.Checkpointer;
import dev.airlock.audit.Erasure;
import dev.airlock.audit.Span;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log's background work on a node: a signed checkpoint after every {@code every} new records or every
 * {@code interval} when anything was appended, a last one at shutdown, and the retention purge.
 */
public final class AuditJobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditJobs.class);
    private static final long POLL_MILLIS = 1_000;

    private final AuditChain store;
    private final Erasure erasure;
    private final Checkpointer checkpointer;
    private final Clock clock;
    private final long every;
    private final Duration interval;
    private final ScheduledExecutorService scheduler;
    private final Optional<PublishedCheckpoints> published;
    private final Counter publishFailures;
    private final Counter checkpointFailures;
    private final AtomicLong unsealedRecords = new AtomicLong();
    private final AtomicLong lastCheckpointEpochSecond = new AtomicLong();
    private Optional<Span> reportedUnsealed = Optional.empty();
    private long lastCheckpointedSize = -1;
    private long lastCheckpointNanos = System.nanoTime();
    private boolean started;
    private @Nullable String lastFailure;

    /**
     * @param checkpointer signs checkpoints with this node's key, over sealed records only
     * @param published where signed checkpoints are also published, if anywhere
     */
    public AuditJobs(
            AuditChain store,
            Erasure erasure,
            Checkpointer checkpointer,
            Clock clock,
            long every,
            Duration interval,
            Duration purgeInterval,
            Optional<PublishedCheckpoints> published,
            MeterRegistry metrics) {
        this.store = store;
        this.erasure = erasure;
        this.published = published;
        this.publishFailures = Counter.builder("airlock_audit_publish_failures")
                .description("Signed checkpoints that could not be appended to audit.publish (alert on any)")
                .register(metrics);
        Gauge.builder("airlock_audit_unsealed_records", unsealedRecords::get)
                .description("Records no checkpoint is signed over because a record without a valid seal (written"
                        + " without the signing key) comes first: that record and every one after it (alert on any;"
                        + " airlock audit verify names the unsealed ones)")
                .register(metrics);
        this.checkpointFailures = Counter.builder("airlock_audit_checkpoint_failures")
                .description("Checkpoint attempts that failed or were refused (alert when they go on: records stay"
                        + " unsigned)")
                .register(metrics);
        Gauge.builder("airlock_audit_last_checkpoint_timestamp_seconds", lastCheckpointEpochSecond::get)
                .description("When this node last signed a checkpoint (Unix seconds; 0 before its first)")
                .register(metrics);
        this.checkpointer = checkpointer;
        this.clock = clock;
        this.every = every;
        this.interval = interval;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "airlock-audit");
            t.setDaemon(true);
            return t;
        });
        // The first run checkpoints what an earlier run left unsigned, and reports unsealed records at once.
        scheduler.scheduleWithFixedDelay(this::maybeCheckpoint, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::purge, 0, Math.max(1, purgeInterval.toMillis()), TimeUnit.MILLISECONDS);
    }

    private void maybeCheckpoint() {
        try {
            if (lastCheckpointedSize < 0) {
                lastCheckpointedSize = store.latestCheckpoint()
                        .map(c -> c.checkpoint().treeSize())
                        .orElse(0L);
            }
            long size = store.chainSize();
            long added = size - lastCheckpointedSize;
            boolean due = added >= every
                    || (added > 0 && (!started || System.nanoTime() - lastCheckpointNanos >= interval.toNanos()));
            started = true;
            if (due) {
                checkpoint();
            }
        } catch (IllegalStateException e) {
            checkpointFailures.increment();
            // e.g. the latest checkpoint is not one this node's keys signed: said once, not every second
            if (!Objects.equals(e.getMessage(), lastFailure)) {
                LOG.error("audit checkpoint refused: {}; will retry", e.getMessage());
                lastFailure = e.getMessage();
            }
        } catch (RuntimeException e) {
            checkpointFailures.increment();
            LOG.warn("audit checkpoint failed; will retry", e);
        }
    }

    private void checkpoint() {
        checkpointer.checkpoint().ifPresent(c -> {
            LOG.debug("signed audit checkpoint at {} records", c.treeSize());
            lastCheckpointEpochSecond.set(clock.instant().getEpochSecond());
            if (!PublishedCheckpoints.publishIfConfigured(published, c)) {
                publishFailures.increment();
            }
        });
        reportUnsealed();
        lastCheckpointedSize = store.chainSize();
        lastCheckpointNanos = System.nanoTime();
    }

    /** Says so, loudly and once per change, when records beyond the latest checkpoint carry no valid seal. */
    private synchronized void reportUnsealed() {
        var unsealed = checkpointer.unsealed();
        unsealedRecords.set(unsealed.map(Span::size).orElse(0L));
        if (unsealed.isPresent()
                && (reportedUnsealed.isEmpty()
                        || reportedUnsealed.get().first() != unsealed.get().first())) {
            LOG.error(
                    "AUDIT LOG: record {} carries no seal by this node's signing key: it was written by something"
                            + " that does not hold the key (someone with write access to the database, a node or"
                            + " command without the key file or with a newer one, or an earlier version). No"
                            + " checkpoint is signed over it or any record after it (up to {} now). Run 'airlock"
                            + " audit verify', which names the unsealed records; once they are accounted for, 'airlock"
                            + " audit checkpoint --accept-unsealed' signs them.",
                    unsealed.get().first(),
                    unsealed.get().last());
        }
        reportedUnsealed = unsealed;
    }

    private void purge() {
        try {
            int purged = erasure.purgeExpiredContent(clock.instant(), "airlock");
            if (purged > 0) {
                LOG.info("retention purge removed the content of {} decisions", purged);
            }
        } catch (RuntimeException e) {
            LOG.warn("retention purge failed; will retry", e);
        }
    }

    /** Stops the jobs and signs a last checkpoint over everything appended. */
    @Override
    public void close() {
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                scheduler.shutdownNow();
            }
            checkpointer.checkpoint().ifPresent(c -> {
                if (!PublishedCheckpoints.publishIfConfigured(published, c)) {
                    publishFailures.increment();
                }
            });
            reportUnsealed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("the final audit checkpoint failed; the next start signs one", e);
        }
    }
}
