package dev.airlock.server.config;

import dev.airlock.server.config.AirlockConfig.Audit;
import dev.airlock.server.config.AirlockConfig.Bootstrap;
import dev.airlock.server.config.AirlockConfig.BudgetConfig;
import dev.airlock.server.config.AirlockConfig.CostConfig;
import dev.airlock.server.config.AirlockConfig.DeploymentsConfig;
import dev.airlock.server.config.AirlockConfig.KeyConfig;
import dev.airlock.server.config.AirlockConfig.PolicyConfig;
import dev.airlock.server.config.AirlockConfig.PromptConfig;
import dev.airlock.server.config.AirlockConfig.RateLimitsConfig;
import dev.airlock.server.config.AirlockConfig.ReviewConfig;
import dev.airlock.server.config.AirlockConfig.Server;
import dev.airlock.server.config.AirlockConfig.Store;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Builds a configuration in code; what it changes must be checked again ({@link #checked()}). */
public final class ConfigBuilder {
    private @Nullable Path source;
    private Server server;
    private Store store;
    private Bootstrap bootstrap;
    private final Map<String, ProviderConfig> providers;
    private final Map<String, ModelConfig> models;
    private Map<String, PromptConfig> prompts;
    private Map<String, PolicyConfig> policies;
    private List<KeyConfig> keys;
    private Audit audit;
    private List<BudgetConfig> budgets;
    private RateLimitsConfig rateLimits;
    private CostConfig cost;
    private DeploymentsConfig deployments;
    private ReviewConfig review;
    private TracingConfig tracing;
    private AlertsConfig alerts;
    private MetricsConfig metrics;
    private WorkflowsConfig workflows;
    private @Nullable String sourceSha256;

    ConfigBuilder(AirlockConfig c) {
        source = c.source();
        server = c.server();
        store = c.store();
        bootstrap = c.bootstrap();
        providers = new LinkedHashMap<>(c.providers());
        models = new LinkedHashMap<>(c.models());
        prompts = c.prompts();
        policies = c.policies();
        keys = c.keys();
        audit = c.audit();
        budgets = c.budgets();
        rateLimits = c.rateLimits();
        cost = c.cost();
        deployments = c.deployments();
        review = c.review();
        tracing = c.tracing();
        alerts = c.alerts();
        metrics = c.metrics();
        workflows = c.workflows();
        sourceSha256 = c.sourceSha256();
    }

    public ConfigBuilder source(Path value) {
        source = value;
        return this;
    }

    public ConfigBuilder sourceSha256(String value) {
        sourceSha256 = value;
        return this;
    }

    public ConfigBuilder server(Server value) {
        server = value;
        return this;
    }

    public ConfigBuilder store(Store value) {
        store = value;
        return this;
    }

    public ConfigBuilder bootstrap(Bootstrap value) {
        bootstrap = value;
        return this;
    }

    public ConfigBuilder provider(String name, ProviderConfig value) {
        providers.put(name, value);
        return this;
    }

    public ConfigBuilder providers(Map<String, ProviderConfig> value) {
        providers.clear();
        providers.putAll(value);
        return this;
    }

    public ConfigBuilder model(String name, ModelConfig value) {
        models.put(name, value);
        return this;
    }

    public ConfigBuilder models(Map<String, ModelConfig> value) {
        models.clear();
        models.putAll(value);
        return this;
    }

    public ConfigBuilder prompts(Map<String, PromptConfig> value) {
        prompts = value;
        return this;
    }

    public ConfigBuilder policies(Map<String, PolicyConfig> value) {
        policies = value;
        return this;
    }

    public ConfigBuilder keys(List<KeyConfig> value) {
        keys = value;
        return this;
    }

    public ConfigBuilder audit(Audit value) {
        audit = value;
        return this;
    }

    public ConfigBuilder budgets(List<BudgetConfig> value) {
        budgets = value;
        return this;
    }

    public ConfigBuilder rateLimits(RateLimitsConfig value) {
        rateLimits = value;
        return this;
    }

    public ConfigBuilder cost(CostConfig value) {
        cost = value;
        return this;
    }

    public ConfigBuilder deployments(DeploymentsConfig value) {
        deployments = value;
        return this;
    }

    public ConfigBuilder alerts(AlertsConfig value) {
        alerts = value;
        return this;
    }

    public ConfigBuilder review(ReviewConfig value) {
        review = value;
        return this;
    }

    public ConfigBuilder tracing(TracingConfig value) {
        tracing = value;
        return this;
    }

    public ConfigBuilder metrics(MetricsConfig value) {
        metrics = value;
        return this;
    }

    public ConfigBuilder workflows(WorkflowsConfig value) {
        workflows = value;
        return this;
    }

    /** The configuration, not yet checked as a whole. */
    public AirlockConfig build() {
        return new AirlockConfig(
                source,
                server,
                store,
                bootstrap,
                providers,
                models,
                prompts,
                policies,
                keys,
                audit,
                budgets,
                rateLimits,
                cost,
                deployments,
                review,
                tracing,
                alerts,
                metrics,
                workflows,
                sourceSha256,
                null);
    }
}
