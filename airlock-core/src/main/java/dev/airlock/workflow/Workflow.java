package dev.airlock.workflow;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A declared workflow: its agents, the tools they may call and the flow of steps between them. Checked as a whole
 * when built: every step names a declared agent, every tool call a tool its agent may use, step ids are unique, and
 * conditions are valid CEL, so a run never finds a broken reference half-way.
 *
 * <pre>{@code
 * var flow = new Workflow("loan", "", Limits.of(20), agents, tools, List.of(
 *         new Call("applicant", "research", new UseTool("applicant-record", Map.of("id", "${input.id}")))));
 * }</pre>
 *
 * @param limits the whole run's limits; hitting one ends the run with status {@code limit_exceeded}
 */
public record Workflow(
        String name,
        String description,
        Limits limits,
        Map<String, Agent> agents,
        Map<String, Tool> tools,
        List<Step> steps) {

    public Workflow {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        Objects.requireNonNull(limits, "limits");
        agents = Map.copyOf(agents);
        tools = Map.copyOf(tools);
        steps = List.copyOf(steps);
        for (Agent agent : agents.values()) {
            for (String tool : agent.tools()) {
                Tool declared = tools.get(tool);
                if (declared == null) {
                    throw new IllegalArgumentException("agents." + agent.name() + ".tools: tool '" + tool
                            + "' is not declared; declared: " + tools.keySet());
                }
                if (declared.sideEffects() && agent.role() != Role.EXECUTION) {
                    throw new IllegalArgumentException("agents." + agent.name() + ".tools: tool '" + tool
                            + "' has side effects; only an execution agent may call it (role is "
                            + agent.role().id() + ")");
                }
            }
        }
        check(steps, "steps", new HashSet<>(), agents, false);
    }

    private static void check(
            List<Step> steps, String at, Set<String> ids, Map<String, Agent> agents, boolean inParallel) {
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            String where = at + "[" + i + "]";
            if (!step.id().matches("[A-Za-z0-9][A-Za-z0-9_-]{0,63}")) {
                throw new IllegalArgumentException(
                        where + ".id: '" + step.id() + "' is not letters, digits, '_' or '-' (up to 64)");
            }
            if (!ids.add(step.id())) {
                throw new IllegalArgumentException(where + ".id: step '" + step.id() + "' is declared twice");
            }
            switch (step) {
                case Call call -> {
                    Agent agent = agents.get(call.agent());
                    if (agent == null) {
                        throw new IllegalArgumentException(where + ".agent: '" + call.agent()
                                + "' is not a declared agent; declared: " + agents.keySet());
                    }
                    if (call.action() instanceof UseTool use && !agent.tools().contains(use.tool())) {
                        throw new IllegalArgumentException(where + ".tool: agent '" + agent.name()
                                + "' may not call tool '" + use.tool() + "'; it may call " + agent.tools());
                    }
                    if (call.action() instanceof Judge && agent.role() != Role.COMPLIANCE) {
                        throw new IllegalArgumentException(
                                where + ".policies: only a compliance agent applies" + " policies; agent '"
                                        + agent.name() + "' is " + agent.role().id());
                    }
                }
                case Branch branch -> {
                    Conditions.compile(branch.condition(), where + ".if");
                    check(branch.then(), where + ".then", ids, agents, inParallel);
                    check(branch.otherwise(), where + ".else", ids, agents, inParallel);
                }
                case Parallel parallel -> {
                    for (int b = 0; b < parallel.branches().size(); b++) {
                        check(parallel.branches().get(b), where + ".parallel[" + b + "]", ids, agents, true);
                    }
                }
                case Loop loop -> {
                    Conditions.compile(loop.until(), where + ".loop.until");
                    check(loop.steps(), where + ".loop.steps", ids, agents, inParallel);
                }
                case Approval approval -> {
                    if (inParallel) {
                        throw new IllegalArgumentException(
                                where + ": a hand-off to a person cannot wait inside a parallel branch");
                    }
                }
            }
        }
    }

    /** What an agent is for; it decides which actions it may take (only execution agents change business systems). */
    public enum Role {
        ORCHESTRATOR,
        RESEARCH,
        COMPLIANCE,
        EXECUTION;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Upper bounds of a run or an agent within it.
     *
     * @param maxSteps steps executed (a step replayed after a restart is not counted again)
     * @param maxTokens tokens in and out of model calls
     * @param maxCostUsd cost of model calls in US dollars
     * @param maxWall wall time from the run's start (time waiting for a person included)
     */
    public record Limits(int maxSteps, long maxTokens, BigDecimal maxCostUsd, Duration maxWall) {
        public Limits {
            if (maxSteps < 1) {
                throw new IllegalArgumentException("max_steps: " + maxSteps + "; expected at least 1");
            }
            if (maxTokens < 0) {
                throw new IllegalArgumentException("max_tokens: " + maxTokens + "; expected 0 or more");
            }
            Objects.requireNonNull(maxCostUsd, "maxCostUsd");
            Objects.requireNonNull(maxWall, "maxWall");
        }
    }

    /**
     * An agent: a role, the model and prompt it calls with (none: its steps are deterministic), the tools and
     * policies it may use, and its own budget within the run.
     */
    public record Agent(
            String name,
            Role role,
            @Nullable String model,
            @Nullable String prompt,
            List<String> tools,
            List<String> policies,
            Limits budget) {
        public Agent {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(role, "role");
            tools = List.copyOf(tools);
            policies = List.copyOf(policies);
            Objects.requireNonNull(budget, "budget");
        }
    }

    /**
     * A business system's HTTP endpoint an agent may call.
     *
     * @param url may name arguments in braces ({@code http://loans/applicants/{applicant_id}}), filled URL-encoded
     * @param scope the permission it needs, e.g. {@code loans:write}; recorded with each call
     * @param approval whether a person approves each call before it is made
     * @param sideEffects whether it changes the business system: it is then sent an idempotency key per run and
     *     step, and its outcome is checkpointed before the run moves on, so it runs at most once per step
     * @param argumentsSchema the JSON Schema its arguments must match (as JSON text)
     */
    public record Tool(
            String name,
            String method,
            String url,
            String scope,
            boolean approval,
            boolean sideEffects,
            String argumentsSchema,
            Duration timeout) {
        public Tool {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(argumentsSchema, "argumentsSchema");
            Objects.requireNonNull(timeout, "timeout");
            ToolArguments.compile(argumentsSchema, "tools." + name + ".arguments");
        }
    }

    /** One step of the flow. */
    public sealed interface Step permits Call, Branch, Parallel, Loop, Approval {
        String id();
    }

    /** An agent's action: a tool call, a prediction, a chat call, a retrieval or a policy judgement. */
    public record Call(String id, String agent, Action action) implements Step {}

    /** Runs {@code then} when the CEL condition holds over {@code input} and {@code steps}, else {@code otherwise}. */
    public record Branch(String id, String condition, List<Step> then, List<Step> otherwise) implements Step {
        public Branch {
            then = List.copyOf(then);
            otherwise = List.copyOf(otherwise);
        }
    }

    /** Runs each branch at once; the step ends when every branch has. */
    public record Parallel(String id, List<List<Step>> branches) implements Step {
        public Parallel {
            branches = branches.stream().map(List::copyOf).toList();
        }
    }

    /** Runs its steps again until the CEL condition holds, at most {@code max} times: never an endless loop. */
    public record Loop(String id, int max, String until, List<Step> steps) implements Step {
        public Loop {
            if (max < 1 || max > 100) {
                throw new IllegalArgumentException("loop '" + id + "'.max: " + max + "; expected 1 to 100");
            }
            steps = List.copyOf(steps);
        }
    }

    /** A hand-off to a person: the run waits (across restarts, on any node) until it is approved or rejected. */
    public record Approval(String id, String reason) implements Step {}

    /** What an agent does in a {@link Call}. */
    public sealed interface Action permits UseTool, Predict, Chat, Retrieve, Judge {}

    /** Calls a declared tool with arguments rendered from {@code with} (templates {@code ${input.x}}). */
    public record UseTool(String tool, Object with) implements Action {}

    /** Scores a tabular model on the features rendered from {@code with}. */
    public record Predict(String model, Object with) implements Action {}

    /**
     * Asks the agent's chat model; when the agent has none, the step answers {@code otherwise} (rendered) and says
     * that it ran deterministically.
     */
    public record Chat(String prompt, String otherwise) implements Action {}

    /** Retrieves the {@code k} passages nearest the rendered query from a collection. */
    public record Retrieve(String collection, String query, int k) implements Action {}

    /** Applies the agent's policies (CEL rules) to the run so far: {@code request} is {@code {input, steps}}. */
    public record Judge() implements Action {}
}
