package dev.airlock.server;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/**
 * A local OTLP/HTTP trace receiver, as a collector listens on 4318: it decodes each protobuf
 * {@code ExportTraceServiceRequest} posted to {@code /v1/traces} and keeps its spans, with the headers and resource
 * they came with.
 */
final class OtlpReceiver implements AutoCloseable {
    /** A span as received, with its ids in hex and its attributes as strings. */
    record Received(
            String traceId,
            String spanId,
            String parentSpanId,
            String name,
            Span.SpanKind kind,
            boolean error,
            Map<String, String> attributes,
            Map<String, String> resource) {}

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Received> spans = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> tokens = new ConcurrentLinkedQueue<>();

    private OtlpReceiver(HttpServer server) {
        this.server = server;
    }

    static OtlpReceiver start() {
        try {
            var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            var receiver = new OtlpReceiver(server);
            server.createContext("/v1/traces", exchange -> {
                try (exchange) {
                    tokensOf(exchange.getRequestHeaders().getFirst("x-collector-token"), receiver);
                    var request = ExportTraceServiceRequest.parseFrom(
                            exchange.getRequestBody().readAllBytes());
                    receiver.keep(request);
                    byte[] answer =
                            ExportTraceServiceResponse.getDefaultInstance().toByteArray();
                    exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                    exchange.sendResponseHeaders(200, answer.length);
                    exchange.getResponseBody().write(answer);
                }
            });
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void tokensOf(String token, OtlpReceiver receiver) {
        if (token != null) {
            receiver.tokens.add(token);
        }
    }

    /** The base URL to configure as {@code tracing.otlp_endpoint}. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Received> spans() {
        return new ArrayList<>(spans);
    }

    /** The spans of one trace. */
    List<Received> trace(String traceId) {
        return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    /** The {@code x-collector-token} headers the exports carried. */
    List<String> tokens() {
        return new ArrayList<>(tokens);
    }

    private void keep(ExportTraceServiceRequest request) {
        var hex = HexFormat.of();
        for (var resourceSpans : request.getResourceSpansList()) {
            Map<String, String> resource = strings(resourceSpans.getResource().getAttributesList());
            for (var scopeSpans : resourceSpans.getScopeSpansList()) {
                for (Span span : scopeSpans.getSpansList()) {
                    spans.add(new Received(
                            hex.formatHex(span.getTraceId().toByteArray()),
                            hex.formatHex(span.getSpanId().toByteArray()),
                            hex.formatHex(span.getParentSpanId().toByteArray()),
                            span.getName(),
                            span.getKind(),
                            span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR,
                            strings(span.getAttributesList()),
                            resource));
                }
            }
        }
    }

    private static Map<String, String> strings(List<KeyValue> attributes) {
        return attributes.stream().collect(Collectors.toMap(KeyValue::getKey, kv -> text(kv.getValue())));
    }

    private static String text(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case INT_VALUE -> Long.toString(value.getIntValue());
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
            case ARRAY_VALUE ->
                value.getArrayValue().getValuesList().stream()
                        .map(OtlpReceiver::text)
                        .collect(Collectors.joining(",", "[", "]"));
            default -> value.toString();
        };
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
