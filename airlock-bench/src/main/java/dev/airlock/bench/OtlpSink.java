package dev.airlock.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/** Accepts OTLP/HTTP exports on loopback and drops them: the cost of tracing without a collector's. */
final class OtlpSink {
    private static final AtomicLong RECEIVED = new AtomicLong();

    private OtlpSink() {}

    static HttpServer start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/traces", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                RECEIVED.incrementAndGet();
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.start();
        return server;
    }

    static long received(HttpServer server) {
        return RECEIVED.get();
    }
}
