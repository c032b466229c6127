package dev.airlock.alert;

import java.util.List;

/**
 * Who hears about a model's alerts: its owner, the contact notified first and the escalation list notified when the
 * alert stays unacknowledged. Installation alerts (breakers, audit, review desk, store) use the installation's route.
 */
public record Route(String owner, List<String> contact, List<String> escalation, String runbook) {
    public static final Route NOBODY = new Route("", List.of(), List.of(), "");

    public Route {
        contact = List.copyOf(contact);
        escalation = List.copyOf(escalation);
    }
}
