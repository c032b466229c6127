package dev.airlock.server.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;
import java.util.List;

/**
 * Gives every Airlock timer ({@code airlock.*}) the configured latency buckets and nothing else: no percentile
 * histogram (69 buckets per label set) and no client-side percentiles, which cannot be aggregated across nodes.
 */
final class LatencyBuckets implements MeterFilter {
    private final double[] boundsNanos;

    LatencyBuckets(List<Duration> bounds) {
        this.boundsNanos = bounds.stream().mapToDouble(Duration::toNanos).toArray();
    }

    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (id.getType() != Meter.Type.TIMER || !id.getName().startsWith("airlock.")) {
            return config;
        }
        return DistributionStatisticConfig.builder()
                .percentilesHistogram(false)
                .percentiles()
                .serviceLevelObjectives(boundsNanos)
                .build()
                .merge(config);
    }
}
