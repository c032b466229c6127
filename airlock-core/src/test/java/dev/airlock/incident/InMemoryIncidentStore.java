package dev.airlock.incident;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Incidents kept in memory, for core's tests; passes {@link IncidentStoreContract}. */
public final class InMemoryIncidentStore implements IncidentStore {
    private final Map<String, Incident> incidents = new LinkedHashMap<>();
    private final Map<String, String> links = new LinkedHashMap<>();
    private final List<IncidentEntry> entries = new ArrayList<>();

    @Override
    public synchronized void insertIncident(Incident incident) {
        if (incidents.containsKey(incident.id())) {
            throw new IllegalStateException("incident " + incident.id() + " exists");
        }
        incidents.put(incident.id(), incident);
    }

    @Override
    public synchronized boolean updateIncident(Incident next, Instant expectedUpdatedAt) {
        Incident stored = incidents.get(next.id());
        if (stored == null || !stored.updatedAt().equals(expectedUpdatedAt)) {
            return false;
        }
        incidents.put(next.id(), next);
        return true;
    }

    @Override
    public synchronized Optional<Incident> findIncident(String id) {
        return Optional.ofNullable(incidents.get(id));
    }

    @Override
    public synchronized Optional<Incident> unresolvedIncident(String subject) {
        return latestFirst().stream()
                .filter(i -> i.subject().equals(subject) && i.unresolved())
                .findFirst();
    }

    @Override
    public synchronized List<Incident> incidents(Incident.@Nullable State state, int limit) {
        return latestFirst().stream()
                .filter(i -> state == null || i.state() == state)
                .limit(limit)
                .toList();
    }

    private List<Incident> latestFirst() {
        return incidents.values().stream()
                .sorted(Comparator.comparing(Incident::openedAt)
                        .thenComparing(Incident::id)
                        .reversed())
                .toList();
    }

    @Override
    public synchronized long countUnresolved() {
        return incidents.values().stream().filter(Incident::unresolved).count();
    }

    @Override
    public synchronized boolean linkAlert(String incidentId, String alertId, Instant at) {
        return links.putIfAbsent(alertId, incidentId) == null;
    }

    @Override
    public synchronized Optional<String> incidentOfAlert(String alertId) {
        return Optional.ofNullable(links.get(alertId));
    }

    @Override
    public synchronized List<String> alertsOf(String incidentId) {
        return links.entrySet().stream()
                .filter(e -> e.getValue().equals(incidentId))
                .map(Map.Entry::getKey)
                .toList();
    }

    @Override
    public synchronized void recordEntry(IncidentEntry entry) {
        entries.add(entry);
    }

    @Override
    public synchronized List<IncidentEntry> entries(String incidentId) {
        return entries.stream()
                .filter(e -> e.incidentId().equals(incidentId))
                .sorted(Comparator.comparing(IncidentEntry::at))
                .toList();
    }
}
