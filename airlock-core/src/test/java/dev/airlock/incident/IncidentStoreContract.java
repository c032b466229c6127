package dev.airlock.incident;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every {@link IncidentStore} must do. */
public abstract class IncidentStoreContract {
    private static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456789Z");

    protected abstract IncidentStore incidents();

    private static Incident open(String id, String subject, Instant at) {
        return Incident.open(id, subject, "1", "loan-risk 1: error_rate 1 > 0.2", "credit-risk", "https://wiki/rb", at);
    }

    @Test
    void insertIncident_roundTripsExactly_withItsPostIncidentRecord() {
        Incident i = open("i1", "loan-risk", T0);
        incidents().insertIncident(i);
        assertThat(incidents().findIncident("i1")).contains(i);

        Incident resolved = i.assigned("jane@example.com", T0.plusSeconds(1))
                .resolved(
                        new PostIncident("upstream timeout", "rolled back to 1", List.of("alert on p95", "load test")),
                        "key:ops",
                        T0.plusSeconds(2));
        assertThat(incidents().updateIncident(resolved, T0)).isTrue();

        assertThat(incidents().findIncident("i1")).contains(resolved);
        assertThat(incidents().findIncident("nope")).isEmpty();
    }

    @Test
    void updateIncident_refusesWhenChangedMeanwhile() {
        Incident i = open("i1", "loan-risk", T0);
        incidents().insertIncident(i);
        Incident acked = i.acknowledged("key:a", T0.plusSeconds(1));
        assertThat(incidents().updateIncident(acked, T0)).isTrue();

        // a second writer that read the incident before the acknowledgement
        assertThat(incidents().updateIncident(i.assigned("bob", T0.plusSeconds(2)), T0))
                .isFalse();

        assertThat(incidents().findIncident("i1")).contains(acked);
    }

    @Test
    void unresolvedIncident_isTheSubjectsLatestNotResolved() {
        Incident old = open("i1", "loan-risk", T0);
        incidents().insertIncident(old);
        incidents().updateIncident(old.resolved(new PostIncident("c", "a", List.of()), "x", T0.plusSeconds(5)), T0);
        Incident current = open("i2", "loan-risk", T0.plusSeconds(10));
        incidents().insertIncident(current);
        incidents().insertIncident(open("i3", "installation", T0.plusSeconds(20)));

        assertThat(incidents().unresolvedIncident("loan-risk")).contains(current);
        assertThat(incidents().unresolvedIncident("support")).isEmpty();
        assertThat(incidents().countUnresolved()).isEqualTo(2);
    }

    @Test
    void incidents_latestOpenedFirst_byStateAndLimit() {
        incidents().insertIncident(open("i1", "a", T0));
        incidents().insertIncident(open("i2", "b", T0.plusSeconds(1)));
        Incident third = open("i3", "c", T0.plusSeconds(2));
        incidents().insertIncident(third);
        incidents().updateIncident(third.acknowledged("k", T0.plusSeconds(3)), third.updatedAt());

        assertThat(incidents().incidents(null, 10)).extracting(Incident::id).containsExactly("i3", "i2", "i1");
        assertThat(incidents().incidents(null, 2)).extracting(Incident::id).containsExactly("i3", "i2");
        assertThat(incidents().incidents(Incident.State.OPEN, 10))
                .extracting(Incident::id)
                .containsExactly("i2", "i1");
        assertThat(incidents().incidents(Incident.State.RESOLVED, 10)).isEmpty();
    }

    @Test
    void linkAlert_belongsToOneIncidentOnly() {
        incidents().insertIncident(open("i1", "a", T0));
        incidents().insertIncident(open("i2", "a", T0));

        assertThat(incidents().linkAlert("i1", "alert-1", T0)).isTrue();
        assertThat(incidents().linkAlert("i1", "alert-2", T0.plusSeconds(1))).isTrue();
        assertThat(incidents().linkAlert("i2", "alert-1", T0.plusSeconds(2))).isFalse();
        assertThat(incidents().linkAlert("i1", "alert-1", T0.plusSeconds(3))).isFalse();

        assertThat(incidents().incidentOfAlert("alert-1")).contains("i1");
        assertThat(incidents().incidentOfAlert("alert-9")).isEmpty();
        assertThat(incidents().alertsOf("i1")).containsExactly("alert-1", "alert-2");
        assertThat(incidents().alertsOf("i2")).isEmpty();
    }

    @Test
    void entries_oldestFirst_roundTripExactly() {
        var second = new IncidentEntry("i1", T0.plusSeconds(5), "note", "key:ops", "upstream says: fixed", null);
        var first = new IncidentEntry("i1", T0, "opened", "airlock", "loan-risk 1: error_rate 1 > 0.2", "alert-1");
        incidents().recordEntry(second);
        incidents().recordEntry(first);
        incidents().recordEntry(new IncidentEntry("i2", T0, "opened", "airlock", "other", null));

        assertThat(incidents().entries("i1")).containsExactly(first, second);
        assertThat(incidents().entries("none")).isEmpty();
    }
}
