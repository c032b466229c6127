package dev.airlock.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.decision.RequestKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ProfileStore} must do: the store on SQLite and PostgreSQL and {@link InMemoryProfileStore} all
 * pass it.
 */
public abstract class ProfileStoreContract {
    private static final Instant W0 = Instant.parse("2026-05-01T10:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);
    private static final ProfileSpec SPEC = new ProfileSpec(
            RequestKind.PREDICT,
            Map.of("income", ColumnKind.NUMERIC, "region", ColumnKind.CATEGORICAL),
            "default",
            "repay",
            ProfileSpec.DEFAULT_MISSING,
            HOUR);

    /** An empty profile store that only the calling test uses. */
    protected abstract ProfileStore profiles();

    @Test
    void partialsOfOneWindow_fromSeveralNodesAndFlushes_readAsOneMergedProfile() {
        profiles().mergePartial("node-a", window(W0, "model", "1", 10, 0, "north"));
        profiles().mergePartial("node-a", window(W0, "model", "1", 20, 10, "north"));
        profiles().mergePartial("node-b", window(W0, "model", "1", 30, 100, "south"));

        List<Profile> windows = profiles().windows("model", "1", W0, W0.plus(HOUR));

        assertThat(windows).hasSize(1);
        Profile p = windows.getFirst();
        assertThat(p.count()).isEqualTo(60);
        assertThat(p.from()).isEqualTo(W0);
        assertThat(p.to()).isEqualTo(W0.plus(HOUR));
        NumericColumn income = (NumericColumn) p.inputs().get("income");
        assertThat(income.count()).isEqualTo(60);
        assertThat(income.min()).isEqualTo(0);
        assertThat(income.max()).isEqualTo(129);
        assertThat(((CategoricalColumn) p.inputs().get("region")).counts())
                .containsExactly(Map.entry("north", 30L), Map.entry("south", 30L));
    }

    @Test
    void windows_areReadPerWindowInOrder_withinTheRangeAsked_andPerModelVersion() {
        profiles().mergePartial("n", window(W0.plus(HOUR), "model", "1", 5, 0, "east"));
        profiles().mergePartial("n", window(W0, "model", "1", 3, 0, "east"));
        profiles().mergePartial("n", window(W0.plus(HOUR.multipliedBy(2)), "model", "1", 7, 0, "east"));
        profiles().mergePartial("n", window(W0, "model", "2", 11, 0, "east"));
        profiles().mergePartial("n", window(W0, "other", "1", 13, 0, "east"));

        assertThat(profiles().windows("model", "1", W0, W0.plus(HOUR.multipliedBy(2))))
                .extracting(Profile::count)
                .containsExactly(3L, 5L);
        assertThat(profiles().merged("model", "1", W0, W0.plus(HOUR.multipliedBy(3))))
                .hasValueSatisfying(p -> {
                    assertThat(p.count()).isEqualTo(15);
                    assertThat(p.from()).isEqualTo(W0);
                    assertThat(p.to()).isEqualTo(W0.plus(HOUR.multipliedBy(3)));
                });
        assertThat(profiles().windows("model", "2", W0, W0.plus(HOUR)))
                .extracting(Profile::count)
                .containsExactly(11L);
        assertThat(profiles().merged("model", "3", W0, W0.plus(HOUR))).isEmpty();
    }

    @Test
    void schemaDriftCounts_andNullsAndTypeErrors_surviveStorage() {
        Profile p = new Profile("model", "1", W0, W0.plus(HOUR));
        Observations.features(p, SPEC, Map.of("income", "lots", "colour", "red"));
        profiles().mergePartial("n", p);
        profiles().mergePartial("n", p);

        Profile read = profiles().windows("model", "1", W0, W0.plus(HOUR)).getFirst();

        assertThat(read.unknownFieldNames()).containsExactly(Map.entry("colour", 2L));
        assertThat(read.missingFieldNames()).containsExactly(Map.entry("region", 2L));
        assertThat(read.inputs().get("income").typeErrors()).isEqualTo(2);
        assertThat(read.inputs().get("region").nulls()).isEqualTo(2);
    }

    @Test
    void aReference_isReplacedByTheNextOne_perModelVersion() {
        assertThat(profiles().reference("model", "1")).isEmpty();
        profiles().putReference(window(W0, "model", "1", 100, 0, "north"));
        profiles().putReference(window(W0, "model", "1", 200, 0, "south"));
        profiles().putReference(window(W0, "model", "2", 7, 0, "west"));

        assertThat(profiles().reference("model", "1")).hasValueSatisfying(p -> {
            assertThat(p.count()).isEqualTo(200);
            assertThat(((CategoricalColumn) p.inputs().get("region")).counts()).containsOnlyKeys("south");
        });
        assertThat(profiles().reference("model", "2").orElseThrow().count()).isEqualTo(7);
        assertThat(profiles().windows("model", "1", W0, W0.plus(HOUR))).isEmpty();
    }

    /** A window's profile of {@code n} calls with incomes {@code first}, {@code first + 1}, … and one region. */
    static Profile window(Instant from, String model, String version, int n, int first, String region) {
        Profile p = new Profile(model, version, from, from.plus(HOUR));
        for (int i = 0; i < n; i++) {
            p.countCall();
            Observations.features(p, SPEC, Map.of("income", first + i, "region", region));
        }
        return p;
    }
}
