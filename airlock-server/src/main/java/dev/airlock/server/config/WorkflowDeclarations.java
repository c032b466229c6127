package dev.airlock.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The declared workflows, built from their options; a broken one names the workflow, the step and what is wrong. */
public final class WorkflowDeclarations {
    private static final ObjectMapper JSON = new ObjectMapper();

    private WorkflowDeclarations() {}

    /** @throws ConfigException naming {@code workflows.flows.<name>} and what is wrong */
    public static Map<String, Workflow> of(WorkflowsConfig config) {
        Map<String, Workflow> out = new LinkedHashMap<>();
        config.flows().forEach((name, flow) -> {
            try {
                out.put(name, workflow(name, flow));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("workflows.flows." + name + "." + e.getMessage());
            }
        });
        return out;
    }

    /**
     * One workflow built from its options, as the node builds it at start.
     *
     * @throws IllegalArgumentException {@code <path in the flow>: <what is wrong>}, e.g. {@code steps[2].agent: ...}
     */
    static Workflow workflow(String name, WorkflowsConfig.Flow flow) {
        Map<String, Workflow.Agent> agents = new LinkedHashMap<>();
        flow.agents()
                .forEach((agent, a) -> agents.put(
                        agent,
                        new Workflow.Agent(
                                agent,
                                Workflow.Role.valueOf(a.role().toUpperCase(Locale.ROOT)),
                                a.model(),
                                a.prompt(),
                                a.tools(),
                                a.policies(),
                                limits(a.budget()))));
        Map<String, Workflow.Tool> tools = new LinkedHashMap<>();
        flow.tools().forEach((tool, t) -> {
            try {
                tools.put(
                        tool,
                        new Workflow.Tool(
                                tool,
                                t.method(),
                                t.url(),
                                t.scope(),
                                t.approval(),
                                t.sideEffects(),
                                JSON.writeValueAsString(t.arguments()),
                                t.timeout()));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("tools." + tool + ".arguments: " + e.getOriginalMessage(), e);
            }
        });
        return new Workflow(
                name, flow.description(), limits(flow.limits()), agents, tools, steps(flow.steps(), "steps"));
    }

    private static Workflow.Limits limits(WorkflowsConfig.Limits l) {
        return new Workflow.Limits(l.maxSteps(), l.maxTokens(), l.maxCostUsd(), l.maxWall());
    }

    private static List<Workflow.Step> steps(@Nullable List<WorkflowsConfig.Step> steps, String at) {
        List<Workflow.Step> out = new ArrayList<>();
        if (steps == null) {
            return out;
        }
        for (int i = 0; i < steps.size(); i++) {
            out.add(step(steps.get(i), at + "[" + i + "]"));
        }
        return out;
    }

    private static Workflow.Step step(WorkflowsConfig.Step s, String at) {
        if (s.id() == null) {
            throw new IllegalArgumentException(at + ".id: missing");
        }
        List<String> kinds = new ArrayList<>();
        add(kinds, s.tool(), "tool");
        add(kinds, s.predict(), "predict");
        add(kinds, s.chat(), "chat");
        add(kinds, s.retrieve(), "retrieve");
        add(kinds, Boolean.TRUE.equals(s.judge()) ? true : null, "judge");
        add(kinds, s.condition(), "if");
        add(kinds, s.parallel(), "parallel");
        add(kinds, s.loop(), "loop");
        add(kinds, s.approval(), "approval");
        if (kinds.size() != 1) {
            throw new IllegalArgumentException(at + " (" + s.id() + "): " + (kinds.isEmpty() ? "no" : kinds)
                    + " kind; expected exactly one of tool, predict, chat, retrieve, judge, if, parallel, loop,"
                    + " approval");
        }
        String condition = s.condition();
        if (condition != null) {
            return new Workflow.Branch(
                    s.id(), condition, steps(s.then(), at + ".then"), steps(s.elseSteps(), at + ".else"));
        }
        List<List<WorkflowsConfig.Step>> parallel = s.parallel();
        if (parallel != null) {
            List<List<Workflow.Step>> branches = new ArrayList<>();
            for (int b = 0; b < parallel.size(); b++) {
                branches.add(steps(parallel.get(b), at + ".parallel[" + b + "]"));
            }
            return new Workflow.Parallel(s.id(), branches);
        }
        WorkflowsConfig.Loop loop = s.loop();
        if (loop != null) {
            return new Workflow.Loop(s.id(), loop.max(), loop.until(), steps(loop.steps(), at + ".loop.steps"));
        }
        String approval = s.approval();
        if (approval != null) {
            return new Workflow.Approval(s.id(), approval);
        }
        String agent = s.agent();
        if (agent == null) {
            throw new IllegalArgumentException(
                    at + " (" + s.id() + ").agent: missing; a " + kinds.getFirst() + " step is an agent's action");
        }
        Object with = s.with() == null ? Map.of() : s.with();
        String tool = s.tool();
        String predict = s.predict();
        String chat = s.chat();
        String retrieve = s.retrieve();
        Workflow.Action action;
        if (tool != null) {
            action = new Workflow.UseTool(tool, with);
        } else if (predict != null) {
            action = new Workflow.Predict(predict, with);
        } else if (chat != null) {
            action = new Workflow.Chat(chat, s.fallback() == null ? "" : s.fallback());
        } else if (retrieve != null) {
            action = new Workflow.Retrieve(retrieve, s.query() == null ? "" : s.query(), s.k() == null ? 3 : s.k());
        } else {
            action = new Workflow.Judge();
        }
        return new Workflow.Call(s.id(), agent, action);
    }

    private static void add(List<String> kinds, @Nullable Object value, String kind) {
        if (value != null) {
            kinds.add(kind);
        }
    }
}
