package dev.airlock.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for a bank's systems: applicant records ({@code GET /applicants/{id}}) and the loan system that
 * records credit decisions ({@code POST /decisions}). Decisions honour {@code Idempotency-Key}: a repeated key gets
 * the first answer back and is not executed again; the fake counts executions and deliveries per key, so a test sees
 * whether a side effect happened twice.
 *
 * <pre>{@code
 * try (FakeLoanSystem bank = FakeLoanSystem.start()) {
 *     ... bank.baseUrl() ... bank.executions("run_x/record") ...
 * }
 * }</pre>
 */
public final class FakeLoanSystem implements AutoCloseable {
    /** Applicants by id: a low-risk one and a high-risk one (features of the loan-risk model). */
    public static final Map<String, String> APPLICANTS = Map.of("A-1001", """
            {"id":"A-1001","name":"Ada Example","features":{"annual_income":120000,"debt_to_income":0.12,
             "employment_years":12,"loan_amount":8000,"loan_term_months":36,"credit_history_years":15,
             "delinquencies_2y":0,"open_credit_lines":4,"home_ownership":"own","purpose":"car","region":"north"}}""", "A-2002", """
            {"id":"A-2002","name":"Bob Example","features":{"annual_income":18000,"debt_to_income":0.62,
             "employment_years":0,"loan_amount":35000,"loan_term_months":60,"credit_history_years":1,
             "delinquencies_2y":4,"open_credit_lines":14,"home_ownership":"rent","purpose":"small_business",
             "region":"south"}}""");

    private final HttpServer server;
    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
    private final AtomicInteger lookups = new AtomicInteger();
    private volatile CountDownLatch hold = new CountDownLatch(0);
    private final CountDownLatch executed = new CountDownLatch(1);

    private FakeLoanSystem(HttpServer server) {
        this.server = server;
    }

    public static FakeLoanSystem start() {
        return start(0);
    }

    public static FakeLoanSystem start(int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            var fake = new FakeLoanSystem(server);
            server.createContext("/applicants/", fake::applicant);
            server.createContext("/decisions", fake::decision);
            server.start();
            return fake;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** How many times a decision with this idempotency key was carried out (at most once when keys are honoured). */
    public int executions(String idempotencyKey) {
        return count(executions, idempotencyKey);
    }

    /** How many requests arrived with this idempotency key (retries and replays included). */
    public int deliveries(String idempotencyKey) {
        return count(deliveries, idempotencyKey);
    }

    /** Idempotency keys of every decision recorded. */
    public List<String> keys() {
        return List.copyOf(executions.keySet());
    }

    public int lookups() {
        return lookups.get();
    }

    /**
     * From now on a decision is carried out but its answer is withheld until {@link #release()}: what a caller sees
     * when the system acted and the caller died before hearing back.
     */
    public void holdAnswers() {
        hold = new CountDownLatch(1);
    }

    public void release() {
        hold.countDown();
    }

    /** Waits until the first decision has been carried out. */
    public boolean awaitExecuted(long seconds) throws InterruptedException {
        return executed.await(seconds, TimeUnit.SECONDS);
    }

    private void applicant(HttpExchange exchange) throws IOException {
        lookups.incrementAndGet();
        String id = exchange.getRequestURI().getPath().substring("/applicants/".length());
        String body = APPLICANTS.get(id);
        respond(exchange, body == null ? 404 : 200, body == null ? "{\"error\":\"no applicant " + id + "\"}" : body);
    }

    private void decision(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        if (key == null) {
            respond(exchange, 400, "{\"error\":\"Idempotency-Key is required\"}");
            return;
        }
        deliveries.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        String answer = answers.computeIfAbsent(key, k -> {
            int n = executions.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
            return "{\"loan_decision_id\":\"LD-" + Math.abs(k.hashCode()) + "\",\"status\":\"recorded\",\"execution\":"
                    + n + ",\"received\":" + body + "}";
        });
        executed.countDown();
        try {
            hold.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        respond(exchange, 200, answer);
    }

    private static int count(Map<String, AtomicInteger> counts, String key) {
        AtomicInteger n = counts.get(key);
        return n == null ? 0 : n.get();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        hold.countDown();
        server.stop(0);
    }
}
