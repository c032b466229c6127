package dev.airlock.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Multi-agent workflows, each readable in one place: its agents (role, model, prompt, tools, budget), the tools
 * they may call (a business system's URL, a JSON Schema for the arguments, a permission scope, whether a person
 * approves each call, whether it has side effects) and the flow of steps between them.
 *
 * <pre>{@code
 * workflows:
 *   lease: 30s
 *   keep_for: 30d
 *   flows:
 *     loan-application:
 *       limits: {max_steps: 20, max_tokens: 20000, max_cost_usd: 1, max_wall: 10m}
 *       agents:
 *         research: {role: research, tools: [applicant-record]}
 *         execution: {role: execution, tools: [record-decision]}
 *       tools:
 *         applicant-record: {method: GET, url: "http://bank.internal/applicants/{applicant_id}", scope: applicants:read,
 *                            arguments: {type: object, required: [applicant_id]}}
 *       steps:
 *         - {id: applicant, agent: research, tool: applicant-record, with: {applicant_id: "${input.applicant_id}"}}
 *         - {id: review, if: "steps.applicant.flags.size() > 0", then: [{id: underwriter, approval: "flags"}]}
 * }</pre>
 *
 * @param lease how long a node holds a running run between checkpoints; after it another node takes the run over
 * @param keepFor how long an ended run and its history are kept before they are pruned
 * @param flows the declared workflows by name
 */
public record WorkflowsConfig(
        @Default("30s") Duration lease,
        @JsonProperty("keep_for") @Default("30d") Duration keepFor,
        Map<String, Flow> flows) {
    public static final WorkflowsConfig DEFAULTS = Options.defaults(WorkflowsConfig.class);

    public WorkflowsConfig {
        flows = flows == null ? Map.of() : Map.copyOf(flows);
        if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new OptionException("'" + Durations.format(lease) + "' is too short; expected at least 1s", "lease");
        }
        for (String name : flows.keySet()) {
            if (!name.matches(AirlockConfig.NAME)) {
                throw new OptionException("a workflow name is letters, digits, '.', '_' or '-'", "flows", name);
            }
        }
    }

    /** One workflow. */
    public record Flow(
            String description, Limits limits, Map<String, Agent> agents, Map<String, Tool> tools, List<Step> steps) {
        public Flow {
            description = description == null ? "" : description;
            limits = limits == null ? Limits.DEFAULTS : limits;
            agents = agents == null ? Map.of() : Map.copyOf(agents);
            tools = tools == null ? Map.of() : Map.copyOf(tools);
            steps = steps == null ? List.of() : List.copyOf(steps);
        }
    }

    /**
     * Upper bounds of a run (or an agent within it); hitting one ends the run with status {@code limit_exceeded}.
     *
     * @param maxSteps steps executed
     * @param maxTokens tokens of model calls
     * @param maxCostUsd cost of model calls, US dollars
     * @param maxWall wall time from the run's start, waiting for people included
     */
    public record Limits(
            @JsonProperty("max_steps") @Default("50") int maxSteps,
            @JsonProperty("max_tokens") @Default("100000") long maxTokens,
            @JsonProperty("max_cost_usd") @Default("5") BigDecimal maxCostUsd,
            @JsonProperty("max_wall") @Default("1d") Duration maxWall) {
        public static final Limits DEFAULTS = Options.defaults(Limits.class);
    }

    /**
     * An agent.
     *
     * @param role orchestrator, research, compliance or execution; only an execution agent calls tools with side
     *     effects, only a compliance agent applies policies
     * @param model the chat model alias it calls; none: its chat steps answer deterministically, and say so
     * @param prompt the prompt version it calls with, recorded with its steps
     * @param tools the tools it may call
     * @param policies the policies it applies (compliance)
     * @param budget its own limits within the run
     */
    public record Agent(
            String role,
            @Nullable String model,
            @Nullable String prompt,
            @Default("[]") List<String> tools,
            @Default("[]") List<String> policies,
            Limits budget) {
        public Agent {
            if (role == null
                    || !List.of("orchestrator", "research", "compliance", "execution")
                            .contains(role)) {
                throw new OptionException(
                        "'" + role + "'; expected orchestrator, research, compliance or execution", "role");
            }
            tools = tools == null ? List.of() : List.copyOf(tools);
            policies = policies == null ? List.of() : List.copyOf(policies);
            budget = budget == null ? Limits.DEFAULTS : budget;
        }
    }

    /**
     * A business system's HTTP endpoint.
     *
     * @param method the HTTP method; GET sends no body, others send the arguments as JSON
     * @param url the endpoint; {@code {name}} is replaced by that argument, URL-encoded
     * @param scope the permission it needs, recorded with each call (e.g. {@code loans:write})
     * @param approval whether a person approves each call before it is made
     * @param sideEffects whether it changes the system: it is sent {@code Idempotency-Key: <run>/<step>} and runs at
     *     most once per step across retries and restarts
     * @param arguments the JSON Schema (draft 2020-12) its arguments must match
     * @param timeout how long one call may take
     */
    public record Tool(
            @Default("POST") String method,
            String url,
            String scope,
            @Default("false") boolean approval,
            @JsonProperty("side_effects") @Default("false") boolean sideEffects,
            Map<String, Object> arguments,
            @Default("10s") Duration timeout) {
        public Tool {
            if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
                throw new OptionException("'" + url + "'; expected an http:// or https:// URL", "url");
            }
            if (scope == null || scope.isBlank()) {
                throw new OptionException("missing; expected the permission the tool needs, e.g. loans:write", "scope");
            }
            arguments = arguments == null ? Map.of("type", "object") : Map.copyOf(arguments);
        }
    }

    /**
     * One step: exactly one of {@code tool}, {@code predict}, {@code chat}, {@code retrieve}, {@code judge} (an
     * agent's action, with {@code agent}), {@code if} (with {@code then} and {@code else}), {@code parallel},
     * {@code loop} or {@code approval}.
     *
     * @param id unique within the workflow; its output is {@code steps.<id>} in conditions and templates
     * @param agent the agent taking the action
     * @param tool the tool to call, with arguments {@code with}
     * @param with arguments or features; strings {@code ${input.x}} / {@code ${steps.id.field}} are replaced
     * @param predict the tabular model to score {@code with} on
     * @param chat the prompt to ask the agent's chat model
     * @param fallback the answer (a template) when the agent has no chat model
     * @param retrieve the collection to retrieve from, with {@code query} and {@code k}
     * @param judge whether the (compliance) agent applies its policies here
     * @param query the retrieval query (a template)
     * @param k how many passages to retrieve
     * @param condition a CEL condition over {@code input} and {@code steps}
     * @param then the steps when the condition holds
     * @param elseSteps the steps when it does not
     * @param parallel branches run at once
     * @param loop steps run again until {@code until} holds, at most {@code max} times
     * @param approval a hand-off to a person: the reason they are asked
     */
    public record Step(
            String id,
            @Nullable String agent,
            @Nullable String tool,
            @Nullable Object with,
            @Nullable String predict,
            @Nullable String chat,
            @Nullable String fallback,
            @Nullable String retrieve,
            @Nullable String query,
            @Nullable Integer k,
            @Nullable Boolean judge,
            @JsonProperty("if") @Nullable String condition,
            @Nullable List<Step> then,
            @JsonProperty("else") @Nullable List<Step> elseSteps,
            @Nullable List<List<Step>> parallel,
            @Nullable Loop loop,
            @Nullable String approval) {}

    /** A bounded loop. */
    public record Loop(@Default("3") int max, String until, List<Step> steps) {
        public Loop {
            steps = steps == null ? List.of() : List.copyOf(steps);
        }
    }
}
