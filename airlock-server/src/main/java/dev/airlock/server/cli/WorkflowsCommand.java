package dev.airlock.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.server.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code airlock workflows start|list|status|events|approve|reject|cancel}: workflow runs on a running node, over its
 * HTTP API ({@code /v1/admin/workflows}) with an API key. Runs live in the node that runs them, so the commands talk
 * to a node rather than to the store: an approval given here is continued by the node that receives it.
 */
@Command(
        name = "workflows",
        mixinStandardHelpOptions = true,
        description = "Starts and follows workflow runs on a running node; approves, rejects or cancels them.",
        subcommands = {
            WorkflowsCommand.Start.class,
            WorkflowsCommand.ListRuns.class,
            WorkflowsCommand.Status.class,
            WorkflowsCommand.Events.class,
            WorkflowsCommand.Approve.class,
            WorkflowsCommand.Reject.class,
            WorkflowsCommand.Cancel.class
        })
final class WorkflowsCommand {
    private static final String RUNS = "/v1/admin/workflows/runs";
    private static final ObjectMapper JSON = Json.mapper();

    /** The run's state in one line: {@code run_x  completed  loan-application  (6 steps)  detail}. */
    static void printRun(PrintWriter out, JsonNode run) {
        String pending = run.path("pending_step").asText("");
        String detail = run.path("detail").asText("");
        out.printf(
                "%s  %-14s %-20s %d step(s)%s%s%n",
                run.path("id").asText(),
                run.path("status").asText(),
                run.path("workflow").asText(),
                run.path("spent").path("steps").asInt(),
                pending.isEmpty() ? "" : "  waiting at " + pending,
                detail.isEmpty() ? "" : "  " + detail);
    }

    /** One history entry in one line: {@code 4  <at>  step.completed  score  predicted repay with loan-risk}. */
    static void printEvent(PrintWriter out, JsonNode event, boolean json) {
        if (json) {
            out.println(event.toString());
        } else {
            out.printf(
                    "%-4d %s  %-20s %-22s %s%n",
                    event.path("seq").asLong(),
                    event.path("at").asText(),
                    event.path("type").asText(),
                    event.path("step").asText(""),
                    event.path("detail").asText(""));
        }
        out.flush();
    }

    /** Exit code of a run's state: 0 completed or waiting for a person, 1 ended otherwise (failed, rejected...). */
    static int exitCode(JsonNode run) {
        String status = run.path("status").asText();
        return status.equals("completed") || status.equals("waiting") || status.equals("running") ? 0 : 1;
    }

    /**
     * Follows the run's events (SSE) and prints each; returns when the run ends, or, with {@code untilPaused}, when it
     * waits for a person.
     */
    static JsonNode follow(NodeClient node, String id, boolean json, boolean untilPaused, PrintWriter out)
            throws IOException, InterruptedException {
        try (Stream<String> lines = node.stream(RUNS + "/" + id + "/events")) {
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (!line.startsWith("data:")) {
                    continue;
                }
                JsonNode event = JSON.readTree(line.substring("data:".length()).trim());
                printEvent(out, event, json);
                if (untilPaused && event.path("type").asText().equals("approval.requested")) {
                    JsonNode now = node.get(RUNS + "/" + id);
                    if (now.path("status").asText().equals("waiting")) {
                        return now;
                    }
                }
            }
        }
        return node.get(RUNS + "/" + id);
    }

    static ObjectNode note(String note) {
        ObjectNode body = JSON.createObjectNode();
        if (note != null) {
            body.put("note", note);
        }
        return body;
    }

    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description = "Starts a run of a declared workflow; with --wait, follows it until it ends or waits for a"
                    + " person.")
    static final class Start implements Callable<Integer> {
        @Mixin
        NodeClient node;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "WORKFLOW", description = "The workflow's name (workflows.flows in the config).")
        String workflow;

        @Option(
                names = "--input",
                required = true,
                paramLabel = "JSON",
                description = "The run's input, a JSON object, e.g. '{\"applicant_id\": \"A-1001\"}'.")
        String input;

        @Option(names = "--subject", description = "Whom the run is about (for erasure and audit).")
        String subject;

        @Option(names = "--wait", description = "Print the run's events until it ends or waits for a person.")
        boolean wait;

        @Option(names = "--json", description = "The run (and events) as JSON, one object per line.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            JsonNode parsed;
            try {
                parsed = JSON.readTree(input);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("--input: not JSON: " + e.getOriginalMessage(), e);
            }
            if (parsed == null || !parsed.isObject()) {
                throw new IllegalArgumentException("--input: '" + input + "'; expected a JSON object");
            }
            ObjectNode body = JSON.createObjectNode();
            body.set("input", parsed);
            if (subject != null) {
                body.put("subject", subject);
            }
            JsonNode run = node.post("/v1/admin/workflows/" + workflow + "/runs", body);
            String id = run.path("id").asText();
            if (!wait) {
                if (json) {
                    out.println(run.toString());
                } else {
                    out.printf("started %s (%s)%n", id, workflow);
                }
                return 0;
            }
            JsonNode end = follow(node, id, json, true, out);
            if (json) {
                out.println(end.toString());
            } else {
                printRun(out, end);
            }
            return exitCode(end);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the tenant's runs, newest first.")
    static final class ListRuns implements Callable<Integer> {
        @Mixin
        NodeClient node;

        @Spec
        CommandSpec spec;

        @Option(names = "--limit", defaultValue = "20", description = "At most this many (default ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--json", description = "One JSON object per line, as GET " + RUNS + " returns them.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            JsonNode runs = node.get(RUNS + "?limit=" + limit).path("data");
            for (JsonNode run : runs) {
                if (json) {
                    out.println(run.toString());
                } else {
                    printRun(out, run);
                }
            }
            if (runs.isEmpty() && !json) {
                out.println("no runs");
            }
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Shows a run's state and what it spent.")
    static final class Status implements Callable<Integer> {
        @Mixin
        NodeClient node;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "RUN", description = "The run's id (airlock workflows list).")
        String id;

        @Option(names = "--json", description = "As GET " + RUNS + "/{id} returns it.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            JsonNode run = node.get(RUNS + "/" + id);
            if (json) {
                out.println(run.toString());
                return 0;
            }
            printRun(out, run);
            JsonNode spent = run.path("spent");
            out.printf(
                    "  spent: %d step(s), %d token(s), %s USD%n",
                    spent.path("steps").asInt(),
                    spent.path("tokens").asLong(),
                    spent.path("cost_usd").asText());
            out.printf("  trace: %s%n", run.path("trace_id").asText());
            return 0;
        }
    }

    @Command(
            name = "events",
            mixinStandardHelpOptions = true,
            description = "Prints a run's history, one line per event, and follows it live until the run ends.")
    static final class Events implements Callable<Integer> {
        @Mixin
        NodeClient node;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "RUN")
        String id;

        @Option(names = "--json", description = "Each event as JSON, one per line.")
        boolean json;

        @Option(names = "--no-follow", description = "Print the history so far and return.")
        boolean noFollow;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            if (noFollow) {
                for (JsonNode event : node.get(RUNS + "/" + id + "/events").path("data")) {
                    printEvent(out, event, json);
                }
                return 0;
            }
            return exitCode(follow(node, id, json, false, out));
        }
    }

    /** approve, reject and cancel: one POST with an optional note. */
    abstract static class Decide implements Callable<Integer> {
        @Mixin
        NodeClient node;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "RUN")
        String id;

        @Option(names = "--note", description = "Why; recorded in the run's history and the audit log.")
        String note;

        abstract String action();

        @Override
        public Integer call() throws Exception {
            JsonNode run = node.post(RUNS + "/" + id + "/" + action(), note(note));
            printRun(spec.commandLine().getOut(), run);
            return 0;
        }
    }

    @Command(
            name = "approve",
            mixinStandardHelpOptions = true,
            description = "Approves the step a run waits on (a reviewer or admin key); the node goes on with it.")
    static final class Approve extends Decide {
        @Override
        String action() {
            return "approve";
        }
    }

    @Command(
            name = "reject",
            mixinStandardHelpOptions = true,
            description = "Rejects the step a run waits on; the run ends rejected.")
    static final class Reject extends Decide {
        @Override
        String action() {
            return "reject";
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancels a run.")
    static final class Cancel extends Decide {
        @Override
        String action() {
            return "cancel";
        }
    }
}
