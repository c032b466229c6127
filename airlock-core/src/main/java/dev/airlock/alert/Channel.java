package dev.airlock.alert;

import java.util.List;

/**
 * Where notifications go: a webhook, a Slack-compatible webhook, e-mail. A channel says why a delivery failed in
 * words that carry no secret (a webhook's URL holds its token; an SMTP password).
 */
public interface Channel {
    String name();

    /**
     * Delivers one message; returns when the other side accepted it.
     *
     * @throws DeliveryFailed with a message fit to store and show
     */
    void deliver(Message message) throws DeliveryFailed;

    /** What a channel sends, rendered as it needs (JSON, Slack blocks, e-mail). */
    record Message(Alert alert, Notification.Stage stage, List<String> recipients, Route route) {
        /** One line: {@code [FIRING] loan-risk 1: latency_p99_ms 240 > 100}. */
        public String title() {
            String tag = switch (stage) {
                case FIRING -> "FIRING";
                case ESCALATION -> "ESCALATED, not acknowledged";
                case RESOLVED -> "RESOLVED";
            };
            return "[" + tag + "] " + alert.summary();
        }

        /** A few lines: title, owner, runbook, alert id. */
        public String text() {
            StringBuilder b = new StringBuilder(title()).append('\n');
            if (!route.owner().isEmpty()) {
                b.append("owner: ").append(route.owner()).append('\n');
            }
            if (!route.runbook().isEmpty()) {
                b.append("runbook: ").append(route.runbook()).append('\n');
            }
            b.append("alert: ")
                    .append(alert.id())
                    .append(" (airlock alerts ack ")
                    .append(alert.id())
                    .append(")");
            return b.toString();
        }
    }

    /** A delivery the other side did not accept. */
    final class DeliveryFailed extends Exception {
        private static final long serialVersionUID = 1L;

        public DeliveryFailed(String message) {
            super(message);
        }
    }
}
