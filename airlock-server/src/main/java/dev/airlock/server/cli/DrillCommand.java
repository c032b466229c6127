package dev.airlock.server.cli;

import dev.airlock.audit.AuditChain;
import dev.airlock.audit.AuditTrail;
import dev.airlock.auth.ApiKeys;
import dev.airlock.decision.DecisionIds;
import dev.airlock.decision.DecisionQuery;
import dev.airlock.decision.Role;
import dev.airlock.deploy.DeploymentDesk;
import dev.airlock.readiness.Drill;
import dev.airlock.readiness.EvidenceDesk;
import dev.airlock.readiness.EvidenceStore;
import dev.airlock.readiness.Readiness;
import dev.airlock.server.Airlock;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.config.ConfigException;
import dev.airlock.server.config.ModelConfig;
import dev.airlock.server.config.ProviderConfig;
import dev.airlock.server.runtime.CommandStore;
import dev.airlock.server.runtime.DeclaredModels;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code airlock drill fallback|rollback MODEL}: makes a failure happen and records whether the model coped. */
@Command(
        name = "drill",
        mixinStandardHelpOptions = true,
        description = "Readiness drills: make a failure happen on 127.0.0.1 and record what the model did.",
        subcommands = {DrillCommand.Fallback.class, DrillCommand.Rollback.class})
final class DrillCommand {

    /** Keeps a drill as readiness evidence, audits it and prints it; the exit code says whether it passed. */
    static int record(
            EvidenceStore store,
            AuditChain audit,
            String kind,
            String model,
            boolean passed,
            Map<String, String> details,
            PrintWriter out) {
        var drill =
                new Drill(DecisionIds.next(System.currentTimeMillis()), kind, model, Instant.now(), passed, details);
        new EvidenceDesk(store, new AuditTrail(audit, Clock.systemUTC()))
                .recordDrill(drill, AuditTrail.commandLineActor());
        out.printf(
                "%s drill of %s: %s %s%nrecorded as drill %s%n",
                kind, model, passed ? "PASSED" : "FAILED", details, drill.id());
        return passed ? 0 : 1;
    }

    @Command(
            name = "fallback",
            mixinStandardHelpOptions = true,
            description = "Makes the model's primary target fail on a scratch node (an HTTP upstream is replaced by a"
                    + " local one that answers 503; an in-process model is made to fail by the drill's fault switch)"
                    + " while the other targets answer, sends calls, and records a passed drill when every call was"
                    + " answered by a fallback target. Exit code 1 when it failed.")
    static final class Fallback implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "MODEL", description = "The model to drill.")
        String model;

        @Option(names = "--calls", defaultValue = "20", description = "Calls to send. Default: 20.")
        int calls;

        @Option(
                names = "--model-version",
                paramLabel = "VERSION",
                description = "The version whose route to drill. Default: the production version.")
        @Nullable
        String version;

        @Override
        public Integer call() throws Exception {
            AirlockConfig loaded = config.load();
            ModelConfig m = loaded.models().get(model);
            if (m == null) {
                throw new ConfigException(
                        "no model '" + model + "'; declared: " + loaded.models().keySet());
            }
            String drilled;
            try (CommandStore store = CommandStore.open(loaded)) {
                var deployments = DeclaredModels.deployments(
                        loaded, store.deploymentStore(), store.auditChain(), Clock.systemUTC());
                drilled = version != null ? version : deployments.current(model).production();
                if (!deployments.versions(model).contains(drilled)) {
                    throw new ConfigException("model " + model + " has no version '" + drilled + "'; declared: "
                            + deployments.versions(model));
                }
            }
            ModelConfig.VersionConfig v = m.versions().get(drilled);
            List<ModelConfig.RouteConfig> route = v != null && v.routed() ? v.targets() : m.targets();
            String primary = route.getFirst().provider();
            Map<String, String> details = new TreeMap<>();
            details.put("version", drilled);
            details.put("primary", primary);
            details.put("calls", Integer.toString(calls));
            boolean passed;
            if (route.size() < 2) {
                details.put("reason", "the model has one target: there is nothing to fall back to");
                passed = false;
            } else {
                boolean inProcess = !java.util.Objects.requireNonNull(
                                loaded.providers().get(primary), "checked: targets name declared providers")
                        .kind()
                        .equals("openai");
                details.put(
                        "fault",
                        inProcess
                                ? "in-process model " + primary
                                        + " made to fail (drill fault switch, scratch node only)"
                                : "upstream " + primary + " replaced by a local server answering 503");
                passed = run(loaded, m, model + "@" + drilled, primary, inProcess, details);
            }
            try (CommandStore store = CommandStore.open(loaded)) {
                return record(
                        store.evidenceStore(),
                        store.auditChain(),
                        "fallback",
                        model,
                        passed,
                        details,
                        spec.commandLine().getOut());
            }
        }

        private boolean run(
                AirlockConfig loaded,
                ModelConfig m,
                String target,
                String primary,
                boolean inProcess,
                Map<String, String> details)
                throws Exception {
            Path scratch = Files.createTempDirectory("airlock-drill");
            var issued = ApiKeys.issue("drill", Role.APP, "drill", Instant.now(), null);
            try (RehearsalUpstream failing = RehearsalUpstream.failing(503, "drill: primary down");
                    RehearsalUpstream healthy = RehearsalUpstream.answering(Duration.ZERO)) {
                Map<String, ProviderConfig> providers = new LinkedHashMap<>();
                loaded.providers()
                        .forEach((name, p) -> providers.put(
                                name,
                                !p.kind().equals("openai")
                                        ? p
                                        : Rehearsal.withBaseUrl(
                                                p, name.equals(primary) ? failing.baseUrl() : healthy.baseUrl())));
                AirlockConfig underTest =
                        Rehearsal.of(loaded, providers, Map.of(model, Rehearsal.withoutCache(m)), scratch);
                Map<String, Integer> servedBy = new TreeMap<>();
                int answered = 0;
                Rehearsal.Request request = Rehearsal.request(model, target, m);
                try (Airlock node =
                        inProcess ? Airlock.startForDrill(underTest, Set.of(primary)) : Airlock.start(underTest)) {
                    try (CommandStore scratchStore = CommandStore.openForReading(underTest)) {
                        scratchStore.keyStore().insertKey(issued.record());
                    }
                    var http = HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .build();
                    String body = request.body();
                    for (int i = 0; i < calls; i++) {
                        HttpResponse<String> response = http.send(
                                HttpRequest.newBuilder(URI.create(node.baseUrl() + request.path()))
                                        .header("Authorization", "Bearer " + issued.key())
                                        .header("Content-Type", "application/json")
                                        .timeout(Duration.ofSeconds(120))
                                        .POST(HttpRequest.BodyPublishers.ofString(body))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 200) {
                            answered++;
                        }
                    }
                    try (CommandStore scratchStore = CommandStore.openForReading(underTest)) {
                        scratchStore.decisionLog().searchDecisions(DecisionQuery.ofTenant("drill"), d -> {
                            if (d.answered()) {
                                servedBy.merge(String.valueOf(d.provider()), 1, Integer::sum);
                            }
                            return true;
                        });
                    }
                }
                details.put("answered", Integer.toString(answered));
                details.put("served_by", servedBy.toString());
                return answered == calls && !servedBy.containsKey(primary);
            } finally {
                Rehearsal.deleteQuietly(scratch);
            }
        }
    }

    @Command(
            name = "rollback",
            mixinStandardHelpOptions = true,
            description =
                    "Rehearses a bad release and its rollback on 127.0.0.1: a scratch node (HTTP upstreams replaced"
                            + " by local ones) promotes another version of the model over its production version, sends calls,"
                            + " runs the same rollback as 'airlock rollback', and records a passed drill when every call after"
                            + " it was answered by the production version again. Exit code 1 when it failed.")
    static final class Rollback implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "MODEL", description = "The model to drill.")
        String model;

        @Option(
                names = "--release",
                paramLabel = "VERSION",
                description = "The version to release and roll back. Default: the first declared version that is not"
                        + " production.")
        @Nullable
        String release;

        @Option(
                names = "--calls",
                defaultValue = "10",
                description = "Calls before and after the rollback. Default: 10.")
        int calls;

        @Override
        public Integer call() throws Exception {
            AirlockConfig loaded = config.load();
            ModelConfig m = loaded.models().get(model);
            if (m == null) {
                throw new ConfigException(
                        "no model '" + model + "'; declared: " + loaded.models().keySet());
            }
            Map<String, String> details = new TreeMap<>();
            boolean passed;
            String production;
            try (CommandStore store = CommandStore.open(loaded)) {
                var deployments = DeclaredModels.deployments(
                        loaded, store.deploymentStore(), store.auditChain(), Clock.systemUTC());
                production = deployments.current(model).production();
                String bad = release != null
                        ? release
                        : deployments.versions(model).stream()
                                .filter(v -> !v.equals(production))
                                .findFirst()
                                .orElse(null);
                details.put("production", production);
                details.put("calls", Integer.toString(calls));
                if (bad == null) {
                    details.put("reason", "the model has one version: there is nothing to release and roll back");
                    passed = false;
                } else {
                    details.put("released", bad);
                    passed = run(loaded, m, production, bad, details);
                }
                return record(
                        store.evidenceStore(),
                        store.auditChain(),
                        "rollback",
                        model,
                        passed,
                        details,
                        spec.commandLine().getOut());
            }
        }

        private boolean run(
                AirlockConfig loaded, ModelConfig m, String production, String bad, Map<String, String> details)
                throws Exception {
            Path scratch = Files.createTempDirectory("airlock-drill");
            var issued = ApiKeys.issue("drill", Role.APP, "drill", Instant.now(), null);
            Rehearsal.Request request = Rehearsal.request(model, m);
            try (RehearsalUpstream upstream = RehearsalUpstream.answering(Duration.ZERO)) {
                Map<String, ProviderConfig> providers = new LinkedHashMap<>();
                loaded.providers()
                        .forEach((name, p) -> providers.put(
                                name, p.kind().equals("openai") ? Rehearsal.withBaseUrl(p, upstream.baseUrl()) : p));
                Map<String, ModelConfig> models = new LinkedHashMap<>();
                loaded.models().forEach((name, mc) -> models.put(name, Rehearsal.withoutCache(mc)));
                AirlockConfig underTest = Rehearsal.of(loaded, providers, models, scratch);
                try (Airlock node = Airlock.start(underTest)) {
                    try (CommandStore scratchStore = CommandStore.openForReading(underTest)) {
                        scratchStore.keyStore().insertKey(issued.record());
                    }
                    var desk = node.deploymentDesk();
                    // the scratch store has no evidence: the drill waives the gate there, and only there
                    for (String version : List.of(production, bad)) {
                        for (Readiness.Check check : Readiness.Check.values()) {
                            desk.waive(
                                    model, version, check.id(), "a rollback drill on a throwaway store", null, "drill");
                        }
                    }
                    if (!desk.deployments().current(model).production().equals(production)) {
                        expect(desk.promote(model, production, "drill", "the production version of the real store"));
                    }
                    expect(desk.promote(model, bad, "drill", "release to roll back"));
                    Map<String, Integer> before = send(node, request, issued.key());
                    long start = System.nanoTime();
                    expect(desk.rollback(model, "drill", "rollback drill"));
                    Map<String, Integer> after = send(node, request, issued.key());
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    details.put("answered_before", before.toString());
                    details.put("answered_after", after.toString());
                    details.put("rollback_and_calls_ms", Long.toString(millis));
                    return before.equals(Map.of(bad, calls)) && after.equals(Map.of(production, calls));
                }
            } finally {
                Rehearsal.deleteQuietly(scratch);
            }
        }

        /** A promotion the drill makes on its throwaway store; a refusal there means the drill cannot run. */
        private static void expect(DeploymentDesk.Promotion result) {
            switch (result) {
                case DeploymentDesk.Promoted p -> {}
                case DeploymentDesk.NotReady n ->
                    throw new IllegalStateException("the readiness gate refuses, missing " + n.missing());
                case DeploymentDesk.Rejected r -> throw new IllegalStateException(r.message());
            }
        }

        /** A change the drill makes on its throwaway store. */
        private static void expect(DeploymentDesk.Change result) {
            if (result instanceof DeploymentDesk.Rejected r) {
                throw new IllegalStateException(r.message());
            }
        }

        /** Sends the calls; returns how many each version answered (by the version header), failures under "failed". */
        private Map<String, Integer> send(Airlock node, Rehearsal.Request request, String key) throws Exception {
            var http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            Map<String, Integer> answered = new TreeMap<>();
            for (int i = 0; i < calls; i++) {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create(node.baseUrl() + request.path()))
                                .header("Authorization", "Bearer " + key)
                                .header("Content-Type", "application/json")
                                .timeout(Duration.ofSeconds(120))
                                .POST(HttpRequest.BodyPublishers.ofString(request.body()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                String version = response.statusCode() == 200
                        ? response.headers()
                                .firstValue("x-airlock-model-version")
                                .orElse("unknown")
                        : "failed";
                answered.merge(version, 1, Integer::sum);
            }
            return answered;
        }
    }
}
