package dev.airlock.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * A local server speaking AWS Bedrock's Converse API: {@code POST /model/{modelId}/converse} (JSON) and {@code
 * /converse-stream} (AWS's binary event-stream framing: {@code messageStart}, {@code contentBlockStart/Delta/Stop},
 * {@code messageStop}, {@code metadata}, or an exception frame), errors with {@code x-amzn-ErrorType} and {@code
 * {"message"}}. Every request must be signed with SigV4 for service {@code bedrock} in its region: the fake re-computes
 * the signature with the AWS SDK's signer from the request as received and the secret it was given, and refuses a
 * missing or wrong one with 403, as AWS does.
 */
public final class FakeBedrock extends FakeUpstream {
    private static final Pattern PATH = Pattern.compile("/model/([^/]+)/(converse|converse-stream)");
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, SignedHeaders=([a-z0-9;-]+),"
                    + " Signature=([0-9a-f]{64})");
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final String region;
    private final String accessKeyId;
    private final String secretAccessKey;

    private FakeBedrock(String region, String accessKeyId, String secretAccessKey) {
        this.region = region;
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
    }

    /** Runs as its own process until killed ({@code REGION ACCESS_KEY_ID SECRET_ACCESS_KEY}); prints its base URL on the first line. */
    public static void main(String[] args) throws InterruptedException {
        System.out.println(start(args[0], args[1], args[2]).baseUrl());
        System.out.flush();
        Thread.currentThread().join();
    }

    /** Starts on a free port, accepting requests signed for {@code region} with these credentials. */
    public static FakeBedrock start(String region, String accessKeyId, String secretAccessKey) {
        return new FakeBedrock(region, accessKeyId, secretAccessKey);
    }

    @Override
    public String baseUrl() {
        return origin();
    }

    @Override
    protected Failure authenticate(HttpExchange exchange, byte[] body) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String date = exchange.getRequestHeaders().getFirst("X-Amz-Date");
        if (authorization == null || date == null) {
            return new Failure(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
        }
        Matcher m = AUTHORIZATION.matcher(authorization);
        if (!m.matches()) {
            return new Failure(
                    403,
                    "IncompleteSignatureException",
                    "Authorization header is not well-formed: "
                            + authorization.replaceAll("Signature=\\w+", "Signature=…"));
        }
        if (!m.group(1).equals(accessKeyId)) {
            return new Failure(
                    403, "UnrecognizedClientException", "The security token included in the request is invalid.");
        }
        if (!m.group(3).equals(region) || !m.group(4).equals("bedrock") || !date.startsWith(m.group(2))) {
            return new Failure(
                    403,
                    "InvalidSignatureException",
                    "Credential should be scoped to a valid region, service" + " and date: " + m.group(2) + "/"
                            + m.group(3) + "/" + m.group(4));
        }
        String expected = signatureOf(exchange, body, date, m.group(5));
        if (expected == null || !expected.equals(authorization)) {
            return new Failure(
                    403,
                    "InvalidSignatureException",
                    "The request signature we calculated does not match the"
                            + " signature you provided. Check your AWS Secret Access Key and signing method.");
        }
        return null;
    }

    /** The Authorization header the AWS SDK's signer makes for this request, as received, with the known secret. */
    private String signatureOf(HttpExchange exchange, byte[] body, String date, String signedHeaders) {
        ZonedDateTime at;
        try {
            at = ZonedDateTime.parse(date, AMZ_DATE);
        } catch (DateTimeParseException e) {
            return null;
        }
        String host = exchange.getRequestHeaders().getFirst("Host");
        URI uri = URI.create("http://" + host + exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null
                        ? ""
                        : "?" + exchange.getRequestURI().getRawQuery()));
        SdkHttpRequest.Builder request =
                SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri);
        Map<String, String> signed = new LinkedHashMap<>();
        for (String name : signedHeaders.split(";")) {
            if (!name.equals("host") && !name.equals("x-amz-date")) {
                String value = exchange.getRequestHeaders().getFirst(name);
                if (value != null) {
                    signed.put(name, value);
                }
            }
        }
        signed.forEach(request::putHeader);
        String token = signed.get("x-amz-security-token");
        AwsCredentialsIdentity identity = token == null
                ? AwsCredentialsIdentity.create(accessKeyId, secretAccessKey)
                : AwsSessionCredentialsIdentity.create(accessKeyId, secretAccessKey, token);
        var result = AwsV4HttpSigner.create()
                .sign(r -> r.identity(identity)
                        .request(request.build())
                        .payload(ContentStreamProvider.fromByteArray(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "bedrock")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at.toInstant(), ZoneOffset.UTC)));
        return result.request().firstMatchingHeader("Authorization").orElse(null);
    }

    @Override
    protected void answer(
            HttpExchange exchange, String path, String query, JsonNode body, Answer answer, Failure streamFailure)
            throws IOException {
        Matcher m = PATH.matcher(path);
        if (!m.matches()) {
            fail(exchange, new Failure(404, "UnknownOperationException", "no operation at " + path));
            return;
        }
        for (JsonNode message : body.path("messages")) {
            String role = message.path("role").asText();
            if (!role.equals("user") && !role.equals("assistant")) {
                fail(
                        exchange,
                        new Failure(
                                400,
                                "ValidationException",
                                "Value '" + role + "' at 'messages.role' failed"
                                        + " to satisfy constraint: Member must satisfy enum value set: [user, assistant]"));
                return;
            }
        }
        if (m.group(2).equals("converse")) {
            ObjectNode response = JSON.createObjectNode();
            ObjectNode content = response.putObject("output")
                    .putObject("message")
                    .put("role", "assistant")
                    .putArray("content")
                    .addObject();
            if (answer.isToolCall()) {
                content.putObject("toolUse")
                        .put("toolUseId", "tooluse_fake_1")
                        .put("name", answer.tool())
                        .set("input", JSON.readTree(answer.arguments()));
            } else {
                content.put("text", answer.text());
            }
            response.put("stopReason", answer.isToolCall() ? "tool_use" : "end_turn");
            response.putObject("usage")
                    .put("inputTokens", answer.in())
                    .put("outputTokens", answer.out())
                    .put("totalTokens", answer.in() + answer.out());
            response.putObject("metrics").put("latencyMs", 12);
            sendJson(exchange, 200, response);
            return;
        }
        OutputStream os = startStream(exchange, "application/vnd.amazon.eventstream");
        event(os, "messageStart", JSON.createObjectNode().put("role", "assistant"));
        if (streamFailure != null) {
            Map<String, HeaderValue> headers = new LinkedHashMap<>();
            headers.put(":message-type", HeaderValue.fromString("exception"));
            headers.put(":exception-type", HeaderValue.fromString(streamFailure.type()));
            headers.put(":content-type", HeaderValue.fromString("application/json"));
            frame(os, headers, JSON.createObjectNode().put("message", streamFailure.message()));
            return;
        }
        if (answer.isToolCall()) {
            ObjectNode start = JSON.createObjectNode().put("contentBlockIndex", 0);
            start.putObject("start")
                    .putObject("toolUse")
                    .put("toolUseId", "tooluse_fake_1")
                    .put("name", answer.tool());
            event(os, "contentBlockStart", start);
            int half = answer.arguments().length() / 2;
            for (String piece : new String[] {
                answer.arguments().substring(0, half), answer.arguments().substring(half)
            }) {
                ObjectNode delta = JSON.createObjectNode().put("contentBlockIndex", 0);
                delta.putObject("delta").putObject("toolUse").put("input", piece);
                event(os, "contentBlockDelta", delta);
            }
        } else {
            for (String piece : answer.pieces()) {
                ObjectNode delta = JSON.createObjectNode().put("contentBlockIndex", 0);
                delta.putObject("delta").put("text", piece);
                event(os, "contentBlockDelta", delta);
            }
        }
        event(os, "contentBlockStop", JSON.createObjectNode().put("contentBlockIndex", 0));
        event(
                os,
                "messageStop",
                JSON.createObjectNode().put("stopReason", answer.isToolCall() ? "tool_use" : "end_turn"));
        ObjectNode metadata = JSON.createObjectNode();
        metadata.putObject("usage")
                .put("inputTokens", answer.in())
                .put("outputTokens", answer.out())
                .put("totalTokens", answer.in() + answer.out());
        metadata.putObject("metrics").put("latencyMs", 12);
        event(os, "metadata", metadata);
    }

    private static void event(OutputStream os, String type, JsonNode payload) throws IOException {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":event-type", HeaderValue.fromString(type));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("event"));
        frame(os, headers, payload);
    }

    private static void frame(OutputStream os, Map<String, HeaderValue> headers, JsonNode payload) throws IOException {
        new Message(headers, JSON.writeValueAsBytes(payload)).encode(os);
        os.flush();
    }

    @Override
    protected void fail(HttpExchange exchange, Failure failure) throws IOException {
        exchange.getResponseHeaders()
                .set("x-amzn-ErrorType", failure.type() + ":http://internal.amazon.com/coral/com.amazon.bedrock/");
        sendJson(exchange, failure.status(), JSON.createObjectNode().put("message", failure.message()));
    }

    @Override
    protected String lastUserText(JsonNode body) {
        String text = "";
        for (JsonNode message : body.path("messages")) {
            if ("user".equals(message.path("role").asText())) {
                for (JsonNode block : message.path("content")) {
                    if (block.has("text")) {
                        text = block.path("text").asText();
                    }
                }
            }
        }
        return text;
    }
}
