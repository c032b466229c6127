package dev.airlock.server.config;

import dev.airlock.decision.RequestKind;
import dev.airlock.policy.Policies;
import dev.airlock.policy.Policy;
import dev.airlock.registry.PromptTemplate;
import dev.airlock.workflow.Workflow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Checks what binding one option at a time cannot: references between sections, names used twice, files that must
 * exist, policies that must compile. It builds the prompt catalog and the compiled policies on the way, once, and
 * hands them to the node with the configuration.
 */
final class ConfigValidator {
    /** The path an error of a flow starts with: {@code steps[2].then[0].agent}, {@code agents.research.tools}. */
    private static final Pattern FLOW_PATH = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*(\\[\\d+]|\\.[A-Za-z0-9_-]+)*");

    private final Locator locator;

    ConfigValidator(Locator locator) {
        this.locator = locator;
    }

    /** The configuration with what checking built; the first problem found is thrown. */
    AirlockConfig validate(AirlockConfig config) {
        config.providers().forEach((name, provider) -> checkProvider(config, name, provider));
        var prompts = prompts(config);
        config.models().forEach((name, model) -> checkModel(config, name, model));
        config.models().forEach((name, model) -> checkPromptRefs(prompts, name, model));
        var policies = policies(config);
        config.models().forEach((name, model) -> checkPolicyRefs(policies, name, model));
        config.workflows().flows().forEach((name, flow) -> checkWorkflow(config, prompts, policies, name, flow));
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < config.keys().size(); i++) {
            var key = config.keys().get(i);
            if (!ids.add(key.id())) {
                throw fail("/keys/" + i + "/id", "keys[" + i + "].id: '" + key.id() + "' is declared twice");
            }
        }
        Set<String> budgetNames = new HashSet<>();
        for (int i = 0; i < config.budgets().size(); i++) {
            checkBudget(config, i, config.budgets().get(i), budgetNames);
        }
        return config.withBuilt(new AirlockConfig.Built(prompts, policies));
    }

    private PromptTemplate.Catalog prompts(AirlockConfig config) {
        List<PromptTemplate> all = new ArrayList<>();
        config.prompts()
                .forEach((name, p) -> p.versions().forEach((version, v) -> {
                    try {
                        all.add(v.template(name, version));
                    } catch (IllegalArgumentException e) {
                        throw fail(
                                "/prompts/" + name + "/versions/" + version,
                                "prompts." + name + ".versions." + version + ": " + e.getMessage());
                    }
                }));
        try {
            return new PromptTemplate.Catalog(all);
        } catch (IllegalArgumentException e) {
            throw fail("/prompts", "prompts: " + e.getMessage());
        }
    }

    /** Each version compiled alone first, so that an error names its rule; then all of them, once, for the node. */
    private Policies policies(AirlockConfig config) {
        List<Policy> all = new ArrayList<>();
        config.policies()
                .forEach((name, p) -> p.versions().forEach((version, v) -> {
                    String where = "/policies/" + name + "/versions/" + version;
                    String field = "policies." + name + ".versions." + version;
                    Policy policy = null;
                    try {
                        policy = v.policy(name, version);
                        Policies.compile(List.of(policy));
                    } catch (Policies.InvalidPolicy e) {
                        throw fail(
                                where + "/rules/" + e.ruleIndex() + "/when",
                                field + ".rules[" + e.ruleIndex() + "].when: " + e.getMessage());
                    } catch (IllegalArgumentException e) {
                        throw fail(where, field + ": " + e.getMessage());
                    }
                    all.add(policy);
                }));
        try {
            return Policies.compile(all);
        } catch (IllegalArgumentException e) {
            throw fail("/policies", "policies: " + e.getMessage());
        }
    }

    private void checkPolicyRefs(Policies policies, String name, ModelConfig m) {
        checkPolicyRefs(policies, "/models/" + name + "/policies", m.policies());
        m.versions().forEach((version, v) -> {
            if (v != null && v.policies() != null) {
                checkPolicyRefs(policies, "/models/" + name + "/versions/" + version + "/policies", v.policies());
            }
        });
    }

    private void checkPolicyRefs(Policies policies, String at, List<String> refs) {
        for (int i = 0; i < refs.size(); i++) {
            if (policies.find(refs.get(i)).isEmpty()) {
                throw fail(
                        at + "/" + i,
                        at.substring(1).replace('/', '.') + "[" + i + "]: no policy '" + refs.get(i) + "'; declared: "
                                + policies.names() + " (write name@version or name@label)");
            }
        }
    }

    private void checkPromptRefs(PromptTemplate.Catalog prompts, String name, ModelConfig m) {
        checkPromptRef(prompts, "/models/" + name + "/prompt", "models." + name + ".prompt", m.prompt());
        m.versions().forEach((version, v) -> {
            if (v != null) {
                checkPromptRef(
                        prompts,
                        "/models/" + name + "/versions/" + version + "/prompt",
                        "models." + name + ".versions." + version + ".prompt",
                        v.prompt());
            }
        });
    }

    private void checkPromptRef(PromptTemplate.Catalog prompts, String at, String field, @Nullable String ref) {
        if (ref != null && prompts.find(ref).isEmpty()) {
            throw fail(
                    at,
                    field + ": no prompt '" + ref + "'; declared: " + prompts.names()
                            + " (write name@version or name@label)");
        }
    }

    /**
     * The same check the node runs when it builds its workflows (steps, agents, tools, conditions), then what only
     * the whole configuration knows: the models, prompts and policies its agents and steps name.
     */
    private void checkWorkflow(
            AirlockConfig config,
            PromptTemplate.Catalog prompts,
            Policies policies,
            String name,
            WorkflowsConfig.Flow flow) {
        String at = "/workflows/flows/" + name;
        String field = "workflows.flows." + name;
        Workflow workflow;
        try {
            workflow = WorkflowDeclarations.workflow(name, flow);
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            Matcher path = FLOW_PATH.matcher(message);
            String pointer = path.lookingAt() ? at + "/" + pointer(path.group()) : at;
            throw fail(pointer, field + "." + message);
        }
        for (Workflow.Agent agent : workflow.agents().values()) {
            String agentAt = at + "/agents/" + agent.name();
            String agentField = field + ".agents." + agent.name();
            String model = agent.model();
            if (model != null) {
                ModelConfig declared = config.models().get(model);
                if (declared == null || declared.kind() != RequestKind.CHAT) {
                    throw fail(
                            agentAt + "/model",
                            agentField + ".model: '" + model + "' is not a declared chat model; declared: "
                                    + chatModels(config));
                }
            }
            checkPromptRef(prompts, agentAt + "/prompt", agentField + ".prompt", agent.prompt());
            checkPolicyRefs(policies, agentAt + "/policies", agent.policies());
        }
        checkPredictions(config, at, field, flow.steps(), "steps");
    }

    private void checkPredictions(
            AirlockConfig config, String at, String field, List<WorkflowsConfig.Step> steps, String path) {
        for (int i = 0; i < steps.size(); i++) {
            WorkflowsConfig.Step s = steps.get(i);
            String here = path + "[" + i + "]";
            String model = s.predict();
            if (model != null) {
                ModelConfig declared = config.models().get(model);
                if (declared == null || declared.kind() != RequestKind.PREDICT) {
                    throw fail(
                            at + "/" + pointer(here) + "/predict",
                            field + "." + here + ".predict: '" + model + "' is not a declared predict model");
                }
            }
            if (s.then() != null) {
                checkPredictions(config, at, field, s.then(), here + ".then");
            }
            if (s.elseSteps() != null) {
                checkPredictions(config, at, field, s.elseSteps(), here + ".else");
            }
            if (s.parallel() != null) {
                for (int b = 0; b < s.parallel().size(); b++) {
                    checkPredictions(config, at, field, s.parallel().get(b), here + ".parallel[" + b + "]");
                }
            }
            if (s.loop() != null) {
                checkPredictions(config, at, field, s.loop().steps(), here + ".loop.steps");
            }
        }
    }

    /** {@code steps[2].then[0]} as the JSON pointer part {@code steps/2/then/0}. */
    private static String pointer(String path) {
        return path.replaceAll("\\[(\\d+)]", ".$1").replace('.', '/');
    }

    private static List<String> chatModels(AirlockConfig config) {
        return config.models().entrySet().stream()
                .filter(e -> e.getValue().kind() == RequestKind.CHAT)
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }

    private void checkBudget(AirlockConfig config, int i, AirlockConfig.BudgetConfig b, Set<String> names) {
        String at = "/budgets/" + i;
        String field = "budgets[" + i + "]";
        if (!names.add(b.name())) {
            throw fail(at + "/name", field + ".name: '" + b.name() + "' is used twice");
        }
        if (b.model() != null && !config.models().containsKey(b.model())) {
            throw fail(at + "/model", field + ".model: model '" + b.model() + "' is not declared");
        }
    }

    private void checkProvider(AirlockConfig config, String name, ProviderConfig p) {
        String at = "/providers/" + name;
        switch (p) {
            case null ->
                throw fail(
                        at,
                        "providers." + name + ".kind: missing; expected one of "
                                + Options.kinds(ProviderConfig.class).keySet());
            case ProviderConfig.OnnxTabularProvider onnx -> {
                Path model = config.resolve(onnx.path());
                if (!Files.isRegularFile(model)) {
                    throw fail(at + "/path", "providers." + name + ".path: no file at " + model);
                }
            }
            default -> {}
        }
    }

    private void checkModel(AirlockConfig config, String name, ModelConfig m) {
        String at = "/models/" + name;
        if (m == null) {
            throw fail(at, "models." + name + ".kind: missing; expected chat, embedding or predict");
        }
        if (m.route().isEmpty()) {
            checkTarget(config, at, "models." + name, m.provider(), m.kind());
        }
        for (int i = 0; i < m.route().size(); i++) {
            checkTarget(
                    config,
                    at + "/route/" + i,
                    "models." + name + ".route[" + i + "]",
                    m.route().get(i).provider(),
                    m.kind());
        }
        var semantic = m.cache() == null ? null : m.cache().semantic();
        if (semantic != null) {
            var embedder =
                    semantic.embeddingModel() == null ? null : config.models().get(semantic.embeddingModel());
            if (embedder == null || embedder.kind() != RequestKind.EMBEDDING) {
                throw fail(
                        at + "/cache/semantic/embedding_model",
                        "models." + name + ".cache.semantic.embedding_model: expected the name of an embedding model"
                                + " declared here");
            }
        }
        if (m.monitoring().reference() != null
                && !Files.isRegularFile(config.resolve(m.monitoring().reference()))) {
            fail(
                    at + "/monitoring/reference",
                    "models." + name + ".monitoring.reference: no file at "
                            + config.resolve(m.monitoring().reference()));
        }
        m.versions().forEach((version, v) -> {
            String where = at + "/versions/" + version;
            String field = "models." + name + ".versions." + version;
            if (v != null && v.routed()) {
                for (int i = 0; i < v.targets().size(); i++) {
                    checkTarget(
                            config,
                            where + "/route/" + i,
                            field + ".route[" + i + "]",
                            v.targets().get(i).provider(),
                            m.kind());
                }
            }
            if (v != null) {
                checkArtifact(config, where, field, v);
            }
        });
    }

    /** A local artifact must exist and, when a SHA-256 is given, hash to it. */
    private void checkArtifact(AirlockConfig config, String where, String field, ModelConfig.VersionConfig v) {
        if (v.artifact() == null || v.artifact().matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            return;
        }
        Path file = config.resolve(v.artifact());
        if (!Files.isRegularFile(file)) {
            throw fail(where + "/artifact", field + ".artifact: no file at " + file);
        }
        if (v.sha256() == null) {
            return;
        }
        String actual;
        try (var in = Files.newInputStream(file)) {
            var digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            actual = HexFormat.of().formatHex(digest.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw fail(where + "/artifact", field + ".artifact: cannot read " + file + ": " + e.getMessage());
        }
        if (!actual.equals(v.sha256())) {
            throw fail(
                    where + "/sha256",
                    field + ".sha256: the artifact " + file + " hashes to " + actual + ", not the declared "
                            + v.sha256());
        }
    }

    private void checkTarget(AirlockConfig config, String at, String field, String providerName, RequestKind kind) {
        if (providerName == null) {
            throw fail(
                    at,
                    field + ".provider: missing; expected one of "
                            + config.providers().keySet());
        }
        ProviderConfig provider = config.providers().get(providerName);
        if (provider == null) {
            throw fail(
                    at + "/provider",
                    field + ".provider: provider '" + providerName + "' is not declared; declared: "
                            + config.providers().keySet());
        }
        if (!provider.serves().contains(kind)) {
            throw fail(
                    at + "/provider",
                    field + ": provider '" + providerName + "' (" + provider.kind() + ") cannot serve " + kind.id()
                            + " models");
        }
    }

    /** The error to throw at {@code pointer}, located in the file. */
    private ConfigException fail(String pointer, String message) {
        return new ConfigException(locator.at(pointer) + ": " + message);
    }
}
