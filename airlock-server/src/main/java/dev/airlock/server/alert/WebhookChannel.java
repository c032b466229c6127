package dev.airlock.server.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.alert.Alert;
import dev.airlock.alert.Channel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Posts notifications to a webhook: either Airlock's generic JSON ({@code kind: webhook}) or a Slack-compatible body
 * with {@code text} and {@code blocks} ({@code kind: slack}, which Mattermost and others accept too). The URL often
 * carries the receiver's token, so failures name the channel and the status, never the URL.
 */
final class WebhookChannel implements Channel {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final URI url;
    private final boolean slack;
    private final Duration timeout;
    private final HttpClient http;

    WebhookChannel(String name, String url, boolean slack, Duration timeout) {
        this.name = name;
        this.url = URI.create(url);
        this.slack = slack;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void deliver(Message message) throws DeliveryFailed {
        String body = (slack ? slackBody(message) : genericBody(message)).toString();
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "airlock-alerts")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            int status =
                    http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 != 2) {
                throw new DeliveryFailed("webhook channel '" + name + "' answered HTTP " + status);
            }
        } catch (IOException e) {
            throw new DeliveryFailed("webhook channel '" + name + "' could not be reached ("
                    + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryFailed("webhook channel '" + name + "': interrupted");
        }
    }

    /** Airlock's own shape: the alert's fields, the stage, who it is for, the owner and runbook. */
    static ObjectNode genericBody(Message m) {
        Alert a = m.alert();
        ObjectNode root = JSON.createObjectNode()
                .put("object", "alert.notification")
                .put("stage", m.stage().id())
                .put("title", m.title())
                .put("text", m.text());
        root.putObject("alert")
                .put("id", a.id())
                .put("rule", a.rule())
                .put("model", a.model())
                .put("version", a.version())
                .put("state", a.state().id())
                .put("value", a.value())
                .put("threshold", a.threshold())
                .put("summary", a.summary())
                .put("active_since", a.activeSince().toString())
                .put("fired_at", a.firedAt() == null ? null : a.firedAt().toString())
                .put(
                        "resolved_at",
                        a.resolvedAt() == null ? null : a.resolvedAt().toString());
        ArrayNode to = root.putArray("recipients");
        m.recipients().forEach(to::add);
        root.put("owner", m.route().owner()).put("runbook", m.route().runbook());
        return root;
    }

    /** Slack's incoming-webhook shape: {@code text} as the fallback, a section block with the details. */
    static ObjectNode slackBody(Message m) {
        ObjectNode root = JSON.createObjectNode().put("text", m.title());
        ArrayNode blocks = root.putArray("blocks");
        blocks.addObject()
                .put("type", "section")
                .putObject("text")
                .put("type", "mrkdwn")
                .put(
                        "text",
                        "*" + m.title() + "*\n"
                                + m.text().substring(m.title().length()).strip());
        if (!m.recipients().isEmpty()) {
            blocks.addObject()
                    .put("type", "context")
                    .putArray("elements")
                    .addObject()
                    .put("type", "mrkdwn")
                    .put("text", "for " + String.join(", ", m.recipients()));
        }
        return root;
    }
}
