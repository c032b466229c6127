package dev.airlock.incident;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Where incidents, the alerts linked to them and their timeline entries are kept, shared by every node. */
public interface IncidentStore {
    void insertIncident(Incident incident);

    /**
     * Replaces the stored incident with {@code next} if it still is the one last updated at {@code expectedUpdatedAt};
     * false when another node or command changed it meanwhile (nothing is written then).
     */
    boolean updateIncident(Incident next, Instant expectedUpdatedAt);

    Optional<Incident> findIncident(String id);

    /** The latest incident of {@code subject} that is not resolved, if any. */
    Optional<Incident> unresolvedIncident(String subject);

    /** The latest opened first, of one state or of any (null). */
    List<Incident> incidents(Incident.@Nullable State state, int limit);

    /** How many incidents are open or acknowledged. */
    long countUnresolved();

    /**
     * Links an alert to an incident; an alert belongs to one incident only. Returns false, changing nothing, when the
     * alert is already linked (to this incident or another).
     */
    boolean linkAlert(String incidentId, String alertId, Instant at);

    /** The incident an alert belongs to, if it was linked. */
    Optional<String> incidentOfAlert(String alertId);

    /** The alerts linked to an incident, in the order they were linked. */
    List<String> alertsOf(String incidentId);

    void recordEntry(IncidentEntry entry);

    /** The entries recorded for an incident, oldest first. */
    List<IncidentEntry> entries(String incidentId);
}
