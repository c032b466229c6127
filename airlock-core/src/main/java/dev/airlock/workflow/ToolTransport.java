package dev.airlock.workflow;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** How a tool's HTTP call leaves Airlock; the server implements it with an HTTP client. */
public interface ToolTransport {
    /**
     * Sends one request.
     *
     * @param body JSON text, or null for none
     * @throws java.io.UncheckedIOException when the system could not be reached
     */
    Reply send(String method, URI url, Map<String, String> headers, @Nullable String body, Duration timeout);

    /** What came back. */
    record Reply(int status, String body) {}
}
