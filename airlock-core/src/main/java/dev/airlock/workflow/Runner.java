package dev.airlock.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.decision.Decision;
import dev.airlock.decision.Outcome;
import dev.airlock.decision.Stop;
import dev.airlock.decision.WorkflowStep;
import dev.airlock.pipeline.Caller;
import dev.airlock.pipeline.Decided;
import dev.airlock.policy.Policies;
import dev.airlock.policy.Rule;
import dev.airlock.provider.ChatMessage;
import dev.airlock.provider.ChatRequest;
import dev.airlock.provider.ChatResult;
import dev.airlock.provider.PredictRequest;
import dev.airlock.provider.Prediction;
import dev.airlock.workflow.Workflow.Agent;
import dev.airlock.workflow.Workflow.Approval;
import dev.airlock.workflow.Workflow.Branch;
import dev.airlock.workflow.Workflow.Call;
import dev.airlock.workflow.Workflow.Chat;
import dev.airlock.workflow.Workflow.Judge;
import dev.airlock.workflow.Workflow.Loop;
import dev.airlock.workflow.Workflow.Parallel;
import dev.airlock.workflow.Workflow.Predict;
import dev.airlock.workflow.Workflow.Retrieve;
import dev.airlock.workflow.Workflow.Step;
import dev.airlock.workflow.Workflow.Tool;
import dev.airlock.workflow.Workflow.UseTool;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Executes one run from its last checkpoint until it ends or waits for a person. The flow is interpreted from the
 * start each time; a step whose {@code step.completed} entry is in the history is replayed from it (its output put
 * back, nothing called), so a run resumed on any node continues exactly where it stopped. Each executed step is
 * checkpointed (history entry, then the run's row with what it spent) before the next begins.
 */
final class Runner {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern URL_ARG = Pattern.compile("\\{([A-Za-z0-9_]+)}");

    private final Workflows.Engine engine;
    private final Workflow workflow;
    private volatile Run run;
    private final Map<String, RunEvent> completed = new ConcurrentHashMap<>();
    private final Map<String, String> approvals = new ConcurrentHashMap<>();
    private final Set<String> startedSideEffects = ConcurrentHashMap.newKeySet();
    private final Set<String> noted = ConcurrentHashMap.newKeySet();
    private final Map<String, Object> steps = new ConcurrentHashMap<>();
    private final Map<String, Object> input;

    Runner(Workflows.Engine engine, Workflow workflow, Run run) {
        this.engine = engine;
        this.workflow = workflow;
        this.run = run;
        this.input = readObject(run.input());
        long after = 0;
        while (true) {
            List<RunEvent> page = engine.store().events(run.id(), after, 500);
            for (RunEvent e : page) {
                after = e.seq();
                String key = e.step();
                if (key == null) {
                    continue;
                }
                switch (e.type()) {
                    case "step.completed" -> completed.put(key, e);
                    case "step.started" -> startedSideEffects.add(key);
                    case "approval.granted" -> approvals.put(key, "granted");
                    case "approval.rejected" -> approvals.put(key, "rejected");
                    default -> noted.add(e.type() + " " + key);
                }
            }
            if (page.size() < 500) {
                break;
            }
        }
    }

    /** Runs until the run ends or waits; whatever happens is in the store. */
    void run() {
        try (Scope ignored = traceContext().makeCurrent()) {
            sequence(workflow.steps(), "");
            end(Run.Status.COMPLETED, "every step completed", null);
        } catch (Halt halted) {
            // waiting for a person, ended, or taken away: already checkpointed
        } catch (RuntimeException e) {
            try {
                end(Run.Status.FAILED, String.valueOf(e.getMessage()), null);
            } catch (Halt alreadyEnded) {
                // cancelled meanwhile
            }
        }
    }

    /** The run's trace, the same on every node and after restarts: each Decision's span is a child of it. */
    private Context traceContext() {
        String spanId = run.traceId().substring(0, 16);
        SpanContext parent = SpanContext.createFromRemoteParent(
                run.traceId(), spanId, TraceFlags.getSampled(), TraceState.getDefault());
        return Context.root().with(Span.wrap(parent));
    }

    private void sequence(List<Step> list, String prefix) {
        for (Step step : list) {
            step(step, prefix + step.id());
        }
    }

    private void step(Step step, String key) {
        switch (step) {
            case Call call -> call(call, key);
            case Branch branch -> {
                boolean holds = Conditions.holds(branch.condition(), variables());
                once("branch.taken", key, holds ? "then: " + branch.condition() : "else: " + branch.condition());
                sequence(holds ? branch.then() : branch.otherwise(), key + "/");
            }
            case Parallel parallel -> parallel(parallel, key);
            case Loop loop -> loop(loop, key);
            case Approval approval -> approval(key, approval.reason(), null);
        }
    }

    private void parallel(Parallel parallel, String key) {
        List<Future<?>> branches = new ArrayList<>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int b = 0; b < parallel.branches().size(); b++) {
                List<Step> branch = parallel.branches().get(b);
                String prefix = key + "/" + b + "/";
                Context context = Context.current();
                branches.add(threads.submit(context.wrap(() -> sequence(branch, prefix))));
            }
        }
        for (Future<?> f : branches) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Halt();
            }
        }
    }

    private void loop(Loop loop, String key) {
        for (int i = 1; i <= loop.max(); i++) {
            sequence(loop.steps(), key + "#" + i + "/");
            if (Conditions.holds(loop.until(), variables())) {
                once("loop.ended", key, "after " + i + " of at most " + loop.max() + ": " + loop.until());
                return;
            }
        }
        once("loop.ended", key, "at its bound of " + loop.max() + " iterations; '" + loop.until() + "' never held");
    }

    /** Waits for a person unless one already decided; a rejection ended the run when it was made. */
    private void approval(String key, String reason, @Nullable Object arguments) {
        String decided = approvals.get(key);
        if ("granted".equals(decided)) {
            return;
        }
        if ("rejected".equals(decided)) {
            throw new Halt();
        }
        synchronized (this) {
            append("approval.requested", key, reason, arguments == null ? null : write(arguments), null);
            Run waiting = run.with(Run.Status.WAITING, key, reason, now());
            checkpoint(waiting);
            throw new Halt();
        }
    }

    private void call(Call call, String key) {
        Agent agent = workflow.agents().get(call.agent());
        if (agent == null) {
            throw new IllegalStateException("step " + key + ": agent '" + call.agent() + "' is not declared");
        }
        RunEvent done = completed.get(key);
        if (done != null) {
            steps.put(idOf(key), done.data() == null ? Map.of() : readAny(done.data()));
            return;
        }
        checkLimits(agent, key);
        Result result = switch (call.action()) {
            case UseTool use -> tool(agent, use, key);
            case Predict predict -> predict(predict, key);
            case Chat chat -> chat(agent, chat, key);
            case Retrieve retrieve -> retrieve(retrieve, key);
            case Judge judge -> judge(agent);
        };
        synchronized (this) {
            append(
                    "step.completed",
                    key,
                    agent.name() + ": " + result.summary(),
                    write(result.output()),
                    result.decision());
            steps.put(idOf(key), result.output());
            checkpoint(run.spending(agent.name(), 1, result.tokens(), result.cost()));
        }
        checkSpent(agent, key);
    }

    private record Result(
            Object output, String summary, @Nullable String decision, long tokens, BigDecimal cost) {
        static Result of(Object output, String summary, @Nullable Decision d) {
            return new Result(
                    output,
                    summary,
                    d == null ? null : d.id(),
                    d == null ? 0 : d.usage().inputTokens() + d.usage().outputTokens(),
                    d == null || d.cost() == null ? BigDecimal.ZERO : d.cost());
        }
    }

    private Result tool(Agent agent, UseTool use, String key) {
        Tool tool = workflow.tools().get(use.tool());
        if (tool == null || !agent.tools().contains(use.tool())) {
            throw new IllegalStateException("agent '" + agent.name() + "' may not call tool '" + use.tool() + "'");
        }
        Object arguments = Objects.requireNonNullElse(Templates.render(use.with(), variables()), Map.of());
        String argumentsJson = write(arguments);
        var problems = ToolArguments.problems(tool.argumentsSchema(), arguments);
        if (problems.isPresent()) {
            Decided<String> refused = engine.pipeline().tool(caller(key), tool.name(), argumentsJson, draft -> {
                throw Stop.invalid("tool", "arguments", "tool '" + tool.name() + "': " + problems.get())
                        .toException();
            });
            throw new IllegalStateException("step " + key + ": tool '" + tool.name() + "' refused its arguments ("
                    + problems.get() + "); decision " + refused.decision().id());
        }
        if (tool.approval()) {
            approval(key + "#approval", "tool '" + tool.name() + "' (" + tool.scope() + ") needs approval", arguments);
        }
        if (tool.sideEffects() && startedSideEffects.add(key)) {
            synchronized (this) {
                append(
                        "step.started",
                        key,
                        "calling " + tool.name() + " with idempotency key " + idempotencyKey(key),
                        argumentsJson,
                        null);
            }
        }
        Decided<String> decided = engine.pipeline().tool(caller(key), tool.name(), argumentsJson, draft -> {
            draft.note(
                    "tool",
                    "scope",
                    tool.scope() + (tool.sideEffects() ? ", idempotency key " + idempotencyKey(key) : ""));
            return send(tool, arguments, key);
        });
        String body = decided.answer();
        if (body == null) {
            throw new IllegalStateException(
                    "step " + key + ": tool '" + tool.name() + "' " + outcomeText(decided.decision()));
        }
        return Result.of(readAny(body), "tool " + tool.name(), decided.decision());
    }

    private String send(Tool tool, Object arguments, String key) {
        Map<?, ?> args = arguments instanceof Map<?, ?> m ? m : Map.of();
        Matcher m = URL_ARG.matcher(tool.url());
        StringBuilder url = new StringBuilder();
        while (m.find()) {
            Object v = args.get(m.group(1));
            m.appendReplacement(
                    url, Matcher.quoteReplacement(URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8)));
        }
        m.appendTail(url);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("X-Airlock-Run", run.id());
        headers.put("X-Airlock-Step", key);
        headers.put("X-Airlock-Scope", tool.scope());
        if (tool.sideEffects()) {
            headers.put("Idempotency-Key", idempotencyKey(key));
        }
        boolean get = tool.method().equalsIgnoreCase("GET");
        ToolTransport.Reply reply;
        try {
            reply = engine.transport()
                    .send(
                            tool.method(),
                            URI.create(url.toString()),
                            headers,
                            get ? null : write(arguments),
                            tool.timeout());
        } catch (RuntimeException unreachable) {
            throw new Stop(
                            "tool",
                            502,
                            "api_error",
                            "tool_unreachable",
                            "tool '" + tool.name() + "' could not be reached: " + unreachable.getMessage(),
                            null)
                    .toException();
        }
        if (reply.status() >= 300) {
            throw new Stop(
                            "tool",
                            502,
                            "api_error",
                            "tool_failed",
                            "tool '" + tool.name() + "' answered HTTP " + reply.status() + ": "
                                    + abbreviate(reply.body()),
                            null)
                    .toException();
        }
        return reply.body().isBlank() ? "{}" : reply.body();
    }

    private String idempotencyKey(String key) {
        return run.id() + "/" + key;
    }

    private Result predict(Predict predict, String key) {
        Object features = Templates.render(predict.with(), variables());
        if (!(features instanceof Map<?, ?> map)) {
            throw new IllegalStateException(
                    "step " + key + ": the features of model '" + predict.model() + "' are not an object: " + features);
        }
        Map<String, Object> typed = new LinkedHashMap<>();
        map.forEach((k, v) -> typed.put(String.valueOf(k), v));
        Decided<Prediction> decided =
                engine.pipeline().predict(caller(key), new PredictRequest(predict.model(), typed));
        Prediction p = decided.answer();
        if (p == null) {
            throw new IllegalStateException(
                    "step " + key + ": model '" + predict.model() + "' " + outcomeText(decided.decision()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("label", p.label());
        out.put("probabilities", p.probabilities());
        out.put("reasons", p.reasons());
        out.put("model_version", decided.decision().modelVersion());
        return Result.of(out, "predicted " + p.label() + " with " + predict.model(), decided.decision());
    }

    private Result chat(Agent agent, Chat chat, String key) {
        String model = agent.model();
        if (model == null) {
            Object text = Templates.render(chat.otherwise(), variables());
            return Result.of(
                    Map.of("text", String.valueOf(text), "deterministic", true),
                    "no chat model is configured for agent '" + agent.name() + "': answered deterministically",
                    null);
        }
        String prompt = String.valueOf(Templates.render(chat.prompt(), variables()));
        Decided<ChatResult> decided = engine.pipeline()
                .chat(
                        caller(key),
                        new ChatRequest(model, List.of(ChatMessage.of("user", prompt)), promptOf(agent), false, false));
        ChatResult answer = decided.answer();
        if (answer == null) {
            throw new IllegalStateException(
                    "step " + key + ": model '" + model + "' " + outcomeText(decided.decision()));
        }
        return Result.of(
                Map.of("text", answer.text(), "deterministic", false), "chat with " + model, decided.decision());
    }

    /**
     * The agent's declared prompt version as a chat call names one ({@code "prompt": {"id", "version"}}): the
     * pipeline renders it as the system message before the step's text and records its exact version.
     */
    private static Map<String, Object> promptOf(Agent agent) {
        String ref = agent.prompt();
        if (ref == null) {
            return Map.of();
        }
        int at = ref.indexOf('@');
        return Map.of(
                "prompt",
                at < 0 ? Map.of("id", ref) : Map.of("id", ref.substring(0, at), "version", ref.substring(at + 1)));
    }

    private Result retrieve(Retrieve retrieve, String key) {
        String query = String.valueOf(Templates.render(retrieve.query(), variables()));
        String arguments = write(Map.of("collection", retrieve.collection(), "query", query, "k", retrieve.k()));
        List<PassageSearch.Passage> found = new ArrayList<>();
        Decided<String> decided = engine.pipeline().tool(caller(key), "retrieve", arguments, draft -> {
            found.addAll(engine.search().search(run.tenant(), retrieve.collection(), query, retrieve.k()));
            draft.note(
                    "tool",
                    "retrieved",
                    found.size() + " passages from " + retrieve.collection()
                            + found.stream()
                                    .map(p -> " " + p.source() + ":" + p.id())
                                    .toList());
            return write(found);
        });
        if (decided.answer() == null) {
            throw new IllegalStateException("step " + key + ": retrieval " + outcomeText(decided.decision()));
        }
        List<Map<String, Object>> passages = new ArrayList<>();
        for (PassageSearch.Passage p : found) {
            passages.add(Map.of("id", p.id(), "source", p.source(), "text", p.text(), "score", p.score()));
        }
        return Result.of(
                Map.of("passages", passages),
                found.size() + " passages from " + retrieve.collection(),
                decided.decision());
    }

    private Result judge(Agent agent) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("tenant", run.tenant());
        context.put("request", Conditions.normalized(variables()));
        Policies.Verdict verdict = engine.policies().judge(agent.policies(), Rule.Stage.INPUT, context);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("effect", verdict.effect().id());
        out.put("reasons", verdict.reasons());
        out.put("policies", verdict.policies());
        return Result.of(out, verdict.effect().id() + " by " + verdict.policies() + " " + verdict.reasons(), null);
    }

    private Caller caller(String key) {
        return Caller.inRun(run.startedBy(), new WorkflowStep(run.id(), key), run.subject());
    }

    private void checkLimits(Agent agent, String key) {
        Workflow.Limits limits = workflow.limits();
        Duration elapsed = Duration.between(run.createdAt(), now());
        if (elapsed.compareTo(limits.maxWall()) > 0) {
            limit("max_wall " + limits.maxWall() + " passed before step " + key);
        }
        if (run.spent().steps() >= limits.maxSteps()) {
            limit("max_steps " + limits.maxSteps() + " reached before step " + key);
        }
        Run.Spent byAgent = run.agents().getOrDefault(agent.name(), Run.Spent.NONE);
        if (byAgent.steps() >= agent.budget().maxSteps()) {
            limit("agent '" + agent.name() + "' max_steps " + agent.budget().maxSteps() + " reached before step "
                    + key);
        }
        checkSpent(agent, key);
    }

    private void checkSpent(Agent agent, String key) {
        Workflow.Limits limits = workflow.limits();
        Run.Spent spent = run.spent();
        if (spent.tokens() > limits.maxTokens()) {
            limit("max_tokens " + limits.maxTokens() + " passed at step " + key + " (" + spent.tokens() + " used)");
        }
        if (spent.costUsd().compareTo(limits.maxCostUsd()) > 0) {
            limit("max_cost_usd " + limits.maxCostUsd().toPlainString() + " passed at step " + key);
        }
        Run.Spent byAgent = run.agents().getOrDefault(agent.name(), Run.Spent.NONE);
        if (byAgent.tokens() > agent.budget().maxTokens()
                || byAgent.costUsd().compareTo(agent.budget().maxCostUsd()) > 0) {
            limit("agent '" + agent.name() + "' budget passed at step " + key);
        }
    }

    private void limit(String why) {
        end(Run.Status.LIMIT_EXCEEDED, why, null);
    }

    /** Ends the run (checkpointed) and unwinds. */
    private synchronized void end(Run.Status status, String why, @Nullable String data) {
        append("run." + status.id(), null, why, data, null);
        checkpoint(run.with(status, null, why, now()));
        throw new Halt();
    }

    /** Saves the run's row while it is still running here; a run cancelled meanwhile stops at once. */
    private void checkpoint(Run next) {
        Run leased = next.status().ended() ? next : next.owned(engine.node(), now().plus(engine.lease()));
        if (!engine.store().save(leased, Run.Status.RUNNING)) {
            throw new Halt();
        }
        run = leased;
    }

    private void once(String type, String key, String detail) {
        if (noted.add(type + " " + key)) {
            synchronized (this) {
                append(type, key, detail, null, null);
            }
        }
    }

    private void append(
            String type,
            @Nullable String step,
            @Nullable String detail,
            @Nullable String data,
            @Nullable String decision) {
        engine.store().append(new RunEvent(run.id(), 0, now(), type, step, detail, data, decision));
    }

    private Map<String, Object> variables() {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("input", input);
        vars.put("steps", new LinkedHashMap<>(steps));
        return vars;
    }

    private Instant now() {
        return engine.time().clock().instant();
    }

    /** The step's id without loop iterations or enclosing steps: {@code retry#2/fetch} is {@code fetch}. */
    private static String idOf(String key) {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    private static String outcomeText(Decision d) {
        return switch (d.outcome()) {
            case Outcome.Answered a -> "answered";
            case Outcome.Refused r -> "was refused: " + r.stop().message() + " (decision " + d.id() + ")";
            case Outcome.Failed f -> "failed: " + f.stop().message() + " (decision " + d.id() + ")";
        };
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    static String write(@Nullable Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not JSON: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> readObject(String json) {
        Object value = readAny(json);
        return value instanceof Map<?, ?> ? (Map<String, Object>) value : Map.of();
    }

    static Object readAny(String json) {
        try {
            Object value = JSON.readValue(json, Object.class);
            return value == null ? Map.of() : value;
        } catch (JsonProcessingException e) {
            return json;
        }
    }

    /** Unwinds the flow: the run waits, ended, or is no longer this node's. */
    static final class Halt extends RuntimeException {
        Halt() {
            super(null, null, false, false);
        }
    }
}
