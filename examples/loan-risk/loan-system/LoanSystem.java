// A stand-in for the bank's systems that the loan-application workflow calls, so the example runs by hand:
//
//   java examples/loan-risk/loan-system/LoanSystem.java          # listens on 127.0.0.1:8090 (or the port given)
//
// GET  /applicants/{id}  an applicant's record: A-1001 (low risk) and A-2002 (above the lending policy's thresholds)
// POST /decisions        records a credit decision; Idempotency-Key is required and a repeated key gets the first
//                        answer back without recording again (what Airlock sends for a tool with side effects)
//
// One file, the JDK only (its built-in HTTP server): nothing to build, nothing to install. Not for production.

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

public class LoanSystem {
    static final Map<String, String> APPLICANTS = Map.of(
            "A-1001",
            """
            {"id":"A-1001","name":"Ada Example","features":{"annual_income":120000,"debt_to_income":0.12,\
            "employment_years":12,"loan_amount":8000,"loan_term_months":36,"credit_history_years":15,\
            "delinquencies_2y":0,"open_credit_lines":4,"home_ownership":"own","purpose":"car","region":"north"}}""",
            "A-2002",
            """
            {"id":"A-2002","name":"Bob Example","features":{"annual_income":18000,"debt_to_income":0.62,\
            "employment_years":0,"loan_amount":35000,"loan_term_months":60,"credit_history_years":1,\
            "delinquencies_2y":4,"open_credit_lines":14,"home_ownership":"rent","purpose":"small_business",\
            "region":"south"}}""");

    static final Map<String, String> ANSWERS = new ConcurrentHashMap<>();
    static final AtomicInteger RECORDED = new AtomicInteger();

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8090;
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/applicants/", LoanSystem::applicant);
        server.createContext("/decisions", LoanSystem::decision);
        server.start();
        System.out.println("loan system stand-in on http://127.0.0.1:" + server.getAddress().getPort()
                + " (applicants " + APPLICANTS.keySet() + "); Ctrl-C stops it");
    }

    static void applicant(HttpExchange exchange) throws IOException {
        String id = exchange.getRequestURI().getPath().substring("/applicants/".length());
        String body = APPLICANTS.get(id);
        System.out.println("GET  /applicants/" + id + (body == null ? " -> 404" : ""));
        respond(exchange, body == null ? 404 : 200, body == null ? "{\"error\":\"no applicant " + id + "\"}" : body);
    }

    static void decision(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        if (!"POST".equals(exchange.getRequestMethod()) || key == null) {
            respond(exchange, 400, "{\"error\":\"POST with an Idempotency-Key header\"}");
            return;
        }
        String answer = ANSWERS.computeIfAbsent(key, k -> {
            int n = RECORDED.incrementAndGet();
            System.out.println("POST /decisions recorded LD-" + n + " (key " + k + "): " + body);
            return "{\"loan_decision_id\":\"LD-" + n + "\",\"status\":\"recorded\",\"received\":" + body + "}";
        });
        respond(exchange, 200, answer);
    }

    static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
