package dev.airlock.bench;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.AbstractHandler;

/**
 * An upstream that answers every POST with the same chat completion, as nginx's {@code return 200} does: no parsing,
 * no state, one fixed body. The floor that "added" latency is measured against, without the testkit's bookkeeping
 * (which keeps every request it receives).
 */
final class CannedUpstream implements AutoCloseable {
    static final byte[] ANSWER = """
            {"id":"chatcmpl-bench","object":"chat.completion","created":1767225600,"model":"bench-model",\
            "choices":[{"index":0,"message":{"role":"assistant","content":"The applicant's debt is moderate."},\
            "finish_reason":"stop"}],"usage":{"prompt_tokens":21,"completion_tokens":7,"total_tokens":28}}""".getBytes(StandardCharsets.UTF_8);

    private final Server server;

    private CannedUpstream(Server server) {
        this.server = server;
    }

    static CannedUpstream start() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new AbstractHandler() {
            @Override
            public void handle(String target, Request base, HttpServletRequest request, HttpServletResponse response)
                    throws IOException {
                try (InputStream in = request.getInputStream()) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
                response.setStatus(200);
                response.setContentType("application/json");
                response.setContentLength(ANSWER.length);
                response.getOutputStream().write(ANSWER);
                base.setHandled(true);
            }
        });
        server.start();
        return new CannedUpstream(server);
    }

    /** The base URL a provider is configured with, ending in {@code /v1}. */
    String baseUrl() {
        return "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/v1";
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
