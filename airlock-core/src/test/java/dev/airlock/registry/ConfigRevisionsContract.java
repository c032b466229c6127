package dev.airlock.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ConfigRevisions} must do: the store on SQLite and PostgreSQL and {@link InMemoryConfigRevisions}
 * all pass it.
 */
public abstract class ConfigRevisionsContract {
    /** Empty revisions that only the calling test uses. */
    protected abstract ConfigRevisions revisions();

    @Test
    void configRevisions_theLatestIsTheLastApplied() {
        assertThat(revisions().latestConfigRevision()).isEmpty();
        Instant t0 = Instant.parse("2026-11-30T10:00:00Z");
        revisions().recordConfigRevision(new ConfigRevision("r1", t0, "cli:ana", "a".repeat(64), "{}"));
        var second = new ConfigRevision("r2", t0.plusSeconds(5), "cli:ben", "b".repeat(64), "{\"models\":{}}");
        revisions().recordConfigRevision(second);

        assertThat(revisions().latestConfigRevision()).contains(second);
    }
}
