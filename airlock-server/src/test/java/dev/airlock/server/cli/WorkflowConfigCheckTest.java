package dev.airlock.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code airlock config check} finds a broken workflow before any node starts, naming file, line and step. */
class WorkflowConfigCheckTest {
    private static final String FLOW = """
            providers:
              up: {kind: openai, base_url: "http://127.0.0.1:9/v1"}
            models:
              assistant: {kind: chat, provider: up}
            prompts:
              planner:
                versions:
                  "1": {template: "You plan loan assessments."}
            workflows:
              flows:
                loans:
                  agents:
                    orchestrator: {role: orchestrator, model: assistant, prompt: "planner@1"}
                    research: {role: research, tools: [lookup]}
                  tools:
                    lookup: {method: GET, url: "http://127.0.0.1:9/a/{id}", scope: a:read}
                  steps:
                    - {id: plan, agent: orchestrator, chat: "Plan."}
                    - {id: look, agent: research, tool: lookup, with: {id: "1"}}
                    - {id: third, agent: research, tool: lookup, with: {id: "2"}}
            """;

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    private Run check(String yaml) throws Exception {
        Path file = dir.resolve("airlock.yaml");
        Files.writeString(file, yaml);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CliRunner().run(out, err, "config", "check", "-c", file.toString());
        return new Run(exit, out.toString(), err.toString());
    }

    private static final class CliRunner {
        int run(StringWriter out, StringWriter err, String... args) {
            return AirlockCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        }
    }

    @Test
    void aValidFlow_isListed() throws Exception {
        Run run = check(FLOW);

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("workflow loans").contains("2 agent(s), 1 tool(s), 3 top-level step(s)");
    }

    @Test
    void aStepNamingAnUndeclaredAgent_isReportedWithItsPathAndLine() throws Exception {
        Run run = check(FLOW.replace("{id: third, agent: research", "{id: third, agent: nobody"));

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err())
                .contains("airlock.yaml:20: workflows.flows.loans.steps[2].agent: 'nobody' is not a declared agent");
    }

    @Test
    void aNestedStepCallingAToolItsAgentMayNotUse_isReportedWithItsPath() throws Exception {
        Run run = check(FLOW.replace(
                "    - {id: third, agent: research, tool: lookup, with: {id: \"2\"}}",
                "    - {id: branch, if: \"input.x > 1\", then: [{id: t, agent: orchestrator, tool: lookup}]}"));

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err())
                .contains("workflows.flows.loans.steps[2].then[0].tool: agent 'orchestrator' may not call tool"
                        + " 'lookup'");
    }

    @Test
    void aBadConditionAStepWithTwoKindsAndADuplicateId_areEachNamed() throws Exception {
        assertThat(check(FLOW.replace("if: ", "if: ")
                                .replace(
                                        "{id: third, agent: research, tool: lookup, with: {id: \"2\"}}",
                                        "{id: third, if: \"input.x >\", then: []}"))
                        .err())
                .contains("workflows.flows.loans.steps[2].if");
        assertThat(check(FLOW.replace(
                                "{id: third, agent: research, tool: lookup,",
                                "{id: third, agent: research, tool: lookup, approval: why,"))
                        .err())
                .contains("workflows.flows.loans.steps[2] (third): [tool, approval] kind");
        assertThat(check(FLOW.replace("{id: third,", "{id: look,")).err())
                .contains("workflows.flows.loans.steps[2].id: step 'look' is declared twice");
    }

    @Test
    void anAgentsUndeclaredPromptOrModel_isNamed() throws Exception {
        Run prompt = check(FLOW.replace("prompt: \"planner@1\"", "prompt: \"planner@9\""));
        assertThat(prompt.exit()).isEqualTo(2);
        assertThat(prompt.err())
                .contains("airlock.yaml:13: workflows.flows.loans.agents.orchestrator.prompt: no prompt 'planner@9'");

        Run model = check(FLOW.replace("model: assistant", "model: nothing"));
        assertThat(model.err())
                .contains("workflows.flows.loans.agents.orchestrator.model: 'nothing' is not a declared chat model;"
                        + " declared: [assistant]");
    }
}
