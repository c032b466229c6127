package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.airlock.server.config.ConfigLoader;
import dev.airlock.server.runtime.Reply;
import dev.airlock.testkit.FakeOpenAi;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a Prometheus scraping a node gets: SLO-shaped latency buckets from {@code metrics.latency_buckets}, OpenMetrics
 * with trace-id exemplars when asked for, the gauges the shipped rules alert on; and the shipped rules and Grafana
 * dashboard, checked against a live scrape (and by promtool where it is installed).
 */
class MetricsTest {
    private static final String APP_KEY = "ak_app1_app-secret-0123456789abcdef";
    private static final Path RULES = Path.of("../deploy/prometheus/airlock-rules.yml");
    private static final Path DASHBOARD = Path.of("../deploy/grafana/airlock-dashboard.json");
    /**
     * Series a node exports once alert evaluation has readings (a version with a reference and traffic, labels, an
     * alert firing): this node has none; {@code ModelAlertsTest} scrapes them from one that has.
     */
    private static final Set<String> AFTER_EVALUATION =
            Set.of("airlock_drift_score", "airlock_live_accuracy", "airlock_alerts_firing");

    private static final Pattern METRIC = Pattern.compile("(?<![\\w:])(airlock_[a-z0-9_]+)");
    private static final Map<String, Object> FEATURES =
            Map.of("annual_income", 18000, "debt_to_income", 0.62, "employment_years", 0, "loan_amount", 30000);

    @TempDir
    static Path dir;

    static FakeOpenAi upstream;
    static Airlock node;
    static String traceId;
    static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    static final SdkTracerProvider TRACING = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(SPANS))
            .build();

    @BeforeAll
    static void startNodeAndCall() {
        upstream = FakeOpenAi.start();
        String yaml = """
                server: {port: 0}
                store: {url: "jdbc:sqlite:%s"}
                providers:
                  up:
                    kind: openai
                    base_url: "%s"
                    timeout: 2s
                    prices: {gpt-upstream: {input: 1, output: 2}}
                    lifecycle: {gpt-upstream: {retires_on: 2099-12-31}}
                  loan: {kind: onnx-tabular, path: "%s"}
                models:
                  assistant:
                    kind: chat
                    provider: up
                    upstream_model: gpt-upstream
                    guards: {pii: {action: block}}
                    retry: {attempts: 1}
                    operations: {thresholds: {latency_p99_ms: 250, error_rate: 0.01, cost_per_day_usd: 5}}
                  loan-risk:
                    kind: predict
                    provider: loan
                    operations: {thresholds: {drift: 0.2, accuracy: 0.65}}
                keys:
                  - {id: app1, tenant: acme, role: app, secret: "app-secret-0123456789abcdef"}
                budgets:
                  - {name: acme-daily, tenant: acme, period: day, soft: 10, hard: 20}
                metrics: {latency_buckets: [10ms, 100ms, 1s, 10s]}
                """.formatted(dir.resolve("airlock.db"), upstream.baseUrl(), TestNode.LOAN_MODEL);
        node = Airlock.start(new ConfigLoader(name -> null).parse(dir.resolve("airlock.yaml"), yaml));
        chat("what is a debt-to-income ratio?"); // answered, priced
        chat("mail me at jane.doe@example.com"); // refused by the PII guard
        upstream.nextResponses(FakeOpenAi.Behaviour.error(500, "upstream broke"));
        chat("and now?"); // failed upstream
        // a prediction made inside a span, as a traced request is
        Span span = TRACING.get("metrics-test").spanBuilder("loan decision").startSpan();
        try (Scope ignored = span.makeCurrent()) {
            assertThat(node.runtime().client(APP_KEY).predict("loan-risk", FEATURES))
                    .isInstanceOf(Reply.Answered.class);
        } finally {
            span.end();
        }
        traceId = span.getSpanContext().getTraceId();
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        upstream.close();
        TRACING.close();
    }

    @Test
    void latencyHistograms_haveTheConfiguredBucketsAndNoOthers() {
        String metrics = scrape(null).body();

        assertThat(bounds(metrics, "airlock_request_duration_seconds_bucket", "model=\"assistant\"", "answered"))
                .containsExactly("0.01", "0.1", "1.0", "10.0", "+Inf");
        assertThat(bounds(metrics, "airlock_upstream_duration_seconds_bucket", "model=\"assistant\"", ""))
                .containsExactly("0.01", "0.1", "1.0", "10.0", "+Inf");
        assertThat(metrics).doesNotContain("quantile=");
    }

    @Test
    void scrape_isPrometheusText_unlessTheScraperAsksForOpenMetrics() {
        HttpResponse<String> text = scrape(null);
        HttpResponse<String> openMetrics =
                scrape("application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1");

        assertThat(text.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
        assertThat(text.body()).doesNotContain("# EOF");
        assertThat(openMetrics.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/openmetrics-text; version=1.0.0"));
        assertThat(openMetrics.body()).endsWith("# EOF\n").contains("# TYPE airlock_requests counter");
    }

    @Test
    void openMetricsBuckets_carryTheTraceIdOfTheSpanCurrentWhenTheCallWasRecorded() {
        String metrics = scrape("application/openmetrics-text").body();

        assertThat(lines(metrics, "airlock_request_duration_seconds_bucket", "model=\"loan-risk\""))
                .anySatisfy(line -> assertThat(line).contains("# {", "trace_id=\"" + traceId + "\""));
        // the span is marked, so that a trace sampler downstream keeps the trace a metric points at
        assertThat(SPANS.getFinishedSpanItems())
                .singleElement()
                .satisfies(span ->
                        assertThat(span.getAttributes().asMap().toString()).contains("exemplar=true"));
        // calls made with no span current have buckets without exemplars
        assertThat(lines(metrics, "airlock_request_duration_seconds_bucket", "model=\"assistant\""))
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line).doesNotContain("trace_id"));
        // the Prometheus text format has no exemplars
        assertThat(scrape(null).body()).doesNotContain("trace_id");
    }

    @Test
    void theGaugesAlertsNeed_areExported() {
        String metrics = scrape(null).body();

        assertThat(metrics)
                .contains(
                        "airlock_model_threshold_latency_p99_seconds{model=\"assistant\"} 0.25",
                        "airlock_model_threshold_error_rate{model=\"assistant\"} 0.01",
                        "airlock_model_threshold_cost_per_day_usd{model=\"assistant\"} 5.0",
                        "airlock_budget_limit{budget=\"acme-daily\",limit=\"hard\"} 20.0",
                        "airlock_budget_limit{budget=\"acme-daily\",limit=\"soft\"} 10.0",
                        "airlock_breaker_state{provider=\"up\",upstream_model=\"gpt-upstream\"} 0.0",
                        "airlock_store_write_failures_total 0.0",
                        "airlock_audit_checkpoint_failures_total 0.0",
                        "airlock_audit_last_checkpoint_timestamp_seconds",
                        "airlock_stops_total{code=\"personal_data_refused\",model=\"assistant\",outcome=\"refused\","
                                + "stage=\"guard_input\"} 1.0",
                        "airlock_stops_total{code=\"upstream_error\",model=\"assistant\",outcome=\"failed\","
                                + "stage=\"invoke\"} 1.0",
                        "airlock_cost_usd_total{model=\"assistant\"}");
        assertThat(metrics).doesNotContain("airlock_model_threshold_error_rate{model=\"loan-risk\"}");
    }

    @Test
    void promtool_acceptsAirlocksOwnMetrics() throws Exception {
        assumePromtool();
        String own = ownFamilies(scrape(null).body());
        assertThat(own).contains("airlock_requests_total");

        Process check = new ProcessBuilder("promtool", "check", "metrics")
                .redirectErrorStream(true)
                .start();
        check.getOutputStream().write(own.getBytes(StandardCharsets.UTF_8));
        check.getOutputStream().close();
        String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(said).as("promtool check metrics").isEmpty();
        assertThat(check.exitValue()).isZero();
    }

    @Test
    void theShippedRules_nameOnlyMetricsANodeExports() throws IOException {
        Set<String> exported = exportedNames();
        List<String> expressions = new ArrayList<>();
        new YAMLMapper()
                .readTree(RULES.toFile())
                .path("groups")
                .forEach(g -> g.path("rules")
                        .forEach(r -> expressions.add(r.path("expr").asText())));

        assertThat(expressions).hasSizeGreaterThan(10);
        Set<String> named = namesIn(expressions);
        named.removeAll(AFTER_EVALUATION);
        assertThat(named).isSubsetOf(exported);
    }

    @Test
    void theDashboard_queriesOnlyMetricsANodeExports() throws IOException {
        List<String> expressions = dashboardExpressions();

        Set<String> named = namesIn(expressions);
        assertThat(named).containsAll(AFTER_EVALUATION);
        named.removeAll(AFTER_EVALUATION);
        assertThat(named).isNotEmpty().isSubsetOf(exportedNames());
    }

    @Test
    void theDashboard_isWellFormed() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());

        assertThat(dashboard.path("uid").asText()).isEqualTo("airlock-overview");
        assertThat(dashboard.path("templating").path("list").findValuesAsText("name"))
                .contains("datasource", "model");
        Set<Integer> ids = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            String title = panel.path("title").asText();
            assertThat(ids.add(panel.path("id").asInt()))
                    .as("unique id of " + title)
                    .isTrue();
            assertThat(panel.path("type").asText()).as(title).isIn("timeseries", "stat", "bargauge");
            assertThat(panel.path("datasource").path("uid").asText()).as(title).isEqualTo("${datasource}");
            JsonNode grid = panel.path("gridPos");
            assertThat(grid.path("x").asInt() + grid.path("w").asInt())
                    .as(title)
                    .isBetween(1, 24);
            assertThat(panel.path("targets")).as(title).isNotEmpty();
            panel.path("targets")
                    .forEach(t -> assertThat(t.path("expr").asText()).as(title).isNotBlank());
            assertThat(title).doesNotContain("placeholder");
        }
    }

    /** promtool parses PromQL in rule files: each panel's query, as a recording rule, must pass its check. */
    @Test
    void theDashboardsQueries_parseAsPromQl() throws Exception {
        assumePromtool();
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int n = 0;
        for (String expr : dashboardExpressions()) {
            String concrete = expr.replace("$__rate_interval", "5m").replace("$model", ".*");
            rules.append("      - record: dashboard:query_")
                    .append(++n)
                    .append("\n        expr: ")
                    .append(new ObjectMapper().writeValueAsString(concrete))
                    .append('\n');
        }
        Path file = Files.writeString(dir.resolve("dashboard-queries.yml"), rules);

        Process check = new ProcessBuilder("promtool", "check", "rules", file.toString())
                .redirectErrorStream(true)
                .start();
        String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as(said).isZero();
        assertThat(said).contains("SUCCESS: " + n + " rules found");
    }

    private static void chat(String text) {
        TestHttp.post(
                node.baseUrl(),
                "/v1/chat/completions",
                APP_KEY,
                "{\"model\":\"assistant\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}");
    }

    private static HttpResponse<String> scrape(String accept) {
        var request = TestHttp.request(node.baseUrl(), "/metrics", null);
        if (accept != null) {
            request.header("Accept", accept);
        }
        return TestHttp.send(request.GET().build());
    }

    private static List<String> lines(String metrics, String name, String label) {
        return metrics.lines()
                .filter(l -> l.startsWith(name + "{") && l.contains(label))
                .toList();
    }

    /** The {@code le} bounds of one label set's buckets, in order. */
    private static List<String> bounds(String metrics, String name, String label, String outcome) {
        Pattern le = Pattern.compile("le=\"([^\"]+)\"");
        String first = lines(metrics, name, label).stream()
                .filter(l -> l.contains(outcome))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " with " + label));
        String labelSet = first.replaceAll(",?le=\"[^\"]+\"", "").replaceAll("\\}.*", "");
        return lines(metrics, name, label).stream()
                .filter(l -> l.replaceAll(",?le=\"[^\"]+\"", "").startsWith(labelSet + "}"))
                .map(l -> {
                    Matcher m = le.matcher(l);
                    return m.find() ? m.group(1) : "";
                })
                .toList();
    }

    /** The metric names a live scrape holds. */
    private static Set<String> exportedNames() {
        return scrape(null)
                .body()
                .lines()
                .filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.replaceAll("[{ ].*", ""))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> namesIn(List<String> expressions) {
        Set<String> names = new TreeSet<>();
        for (String e : expressions) {
            Matcher m = METRIC.matcher(e);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    private static List<String> dashboardExpressions() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        return dashboard.path("panels").findValuesAsText("expr");
    }

    /** Airlock's own families of a Prometheus-text scrape (the JVM's are Micrometer's, named by its conventions). */
    private static String ownFamilies(String metrics) {
        return metrics.lines()
                .filter(l ->
                        l.startsWith("airlock_") || l.startsWith("# HELP airlock_") || l.startsWith("# TYPE airlock_"))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static void assumePromtool() {
        boolean onPath = System.getenv("PATH") != null
                && List.of(System.getenv("PATH").split(":")).stream()
                        .anyMatch(d -> Files.isExecutable(Path.of(d, "promtool")));
        assumeTrue(
                onPath,
                "promtool is not on PATH: install Debian's prometheus package (.ci/run does) to check the metrics and"
                        + " the dashboard's PromQL with it");
    }
}
