package dev.airlock.server.runtime;

import dev.airlock.review.HeldReview;
import dev.airlock.review.ReviewCallback;
import dev.airlock.server.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Review outcomes posted to the caller's callback URL: JSON, signed with {@code review.callback_secret}, on a virtual
 * thread, three tries with backoff; only to hosts listed in {@code review.callback_hosts}.
 */
final class ReviewCallbacks implements ReviewCallback {
    private static final Logger LOG = LoggerFactory.getLogger(ReviewCallbacks.class);

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private final Set<String> hosts;
    private final String secret;

    ReviewCallbacks(List<String> hosts, String secret) {
        this.hosts =
                Set.copyOf(hosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList());
        this.secret = secret;
    }

    @Override
    public boolean allowed(URI url) {
        return url.getHost() != null && hosts.contains(url.getHost().toLowerCase(Locale.ROOT));
    }

    @Override
    public void send(HeldReview r) {
        if (r.callbackUrl() == null) {
            return;
        }
        Thread.ofVirtual().name("airlock-review-callback").start(() -> post(r));
    }

    private void post(HeldReview r) {
        String body = Json.mapper()
                .createObjectNode()
                .put("object", "review")
                .put("id", r.id())
                .put("status", r.state().id())
                .put("decision_id", r.decisionId())
                .put("decided_by", r.decidedBy())
                .put("result_url", "/v1/reviews/" + r.id() + "/result")
                .toString();
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                var response = http.send(
                        HttpRequest.newBuilder(URI.create(r.callbackUrl()))
                                .timeout(Duration.ofSeconds(10))
                                .header("Content-Type", "application/json")
                                .header("Airlock-Signature", signature(body))
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() < 300) {
                    return;
                }
            } catch (IOException e) {
                LOG.debug("review callback {} failed", r.callbackUrl(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                Thread.sleep(500L * attempt * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.warn("review {}: the callback {} did not accept the outcome after 3 tries", r.id(), r.callbackUrl());
    }

    /** {@code sha256=<hex HMAC-SHA256 of the body>} under review.callback_secret, or "unsigned" without one. */
    String signature(String body) {
        if (secret == null || secret.isBlank()) {
            return "unsigned";
        }
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
