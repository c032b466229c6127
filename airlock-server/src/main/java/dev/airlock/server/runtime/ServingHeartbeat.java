package dev.airlock.server.runtime;

import dev.airlock.deploy.NodeServing;
import dev.airlock.deploy.ServedVersions;
import dev.airlock.deploy.ServingNode;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes what this node serves when it starts and every {@link ServedVersions#HEARTBEAT}, so that promotion from any
 * door can check the version against the live nodes; at each beat it also re-checks which deployed versions it cannot
 * serve. On close the node withdraws, so a stopped node does not hold promotions back until it expires.
 */
final class ServingHeartbeat implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServingHeartbeat.class);

    private final ServedVersions served;
    private final NodeServing serving;
    private final String node;
    private final Map<String, List<String>> versions;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;

    private ServingHeartbeat(
            ServedVersions served, NodeServing serving, String node, Map<String, List<String>> versions, Clock clock) {
        this.served = served;
        this.serving = serving;
        this.node = node;
        this.versions = Map.copyOf(versions);
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "airlock-serving-heartbeat");
            t.setDaemon(true);
            return t;
        });
    }

    /** Publishes at once (a failure here fails the start: the store is not writable), then every heartbeat. */
    static ServingHeartbeat start(
            ServedVersions served, NodeServing serving, String node, Map<String, List<String>> versions, Clock clock) {
        var beat = new ServingHeartbeat(served, serving, node, versions, clock);
        beat.beat();
        long every = ServedVersions.HEARTBEAT.toMillis();
        beat.scheduler.scheduleWithFixedDelay(beat::beatSafely, every, every, TimeUnit.MILLISECONDS);
        return beat;
    }

    String node() {
        return node;
    }

    private void beat() {
        served.publishServed(new ServingNode(
                node, versions, clock.instant(), BuildInfo.current().display()));
        serving.survey();
    }

    private void beatSafely() {
        try {
            beat();
        } catch (RuntimeException e) {
            LOG.warn("could not publish what this node serves; will try again", e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            served.withdrawNode(node);
        } catch (RuntimeException e) {
            LOG.warn("could not withdraw this node from the serving nodes; it expires on its own", e);
        }
    }
}
