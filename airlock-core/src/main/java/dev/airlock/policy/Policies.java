package dev.airlock.policy;

import dev.airlock.pipeline.GuardInput;
import dev.airlock.pipeline.GuardOutput;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Compiled policies, ready to judge Decisions. Every rule's CEL expression is parsed and type-checked when the
 * policies are built, so a bad expression fails at load with the policy, the rule and CEL's own message (line and
 * column within the expression). A rule that fails to evaluate (a missing field, a wrong type) applies: policies fail
 * closed.
 *
 * <pre>{@code
 * Policies policies = Policies.compile(List.of(refunds));
 * Policies.Verdict v = policies.judge(List.of("refunds@production"), Rule.Stage.INPUT, context);
 * if (v.effect() == Rule.Effect.DENY) { ... v.matched() ... }
 * }</pre>
 */
public final class Policies {
    /** The variables a rule may use; each is a map (tenant a string) so that missing fields fail closed. */
    public static final List<String> VARIABLES = List.of("tenant", "model", "request", "provider", "guard", "output");

    private static final CelOptions OPTIONS =
            CelOptions.current().enableHeterogeneousNumericComparisons(true).build();
    private static final CelCompiler COMPILER = compiler();
    private static final CelRuntime RUNTIME =
            CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();

    /** Every policy by name, then version. */
    private final Map<String, Map<String, Compiled>> policies;

    private Policies(Map<String, Map<String, Compiled>> policies) {
        this.policies = policies;
    }

    public static final Policies NONE = new Policies(Map.of());

    /**
     * Compiles policies.
     *
     * @throws InvalidPolicy naming the policy, the rule and the CEL error
     */
    public static Policies compile(List<Policy> all) {
        Map<String, Map<String, Compiled>> byName = new LinkedHashMap<>();
        for (Policy p : all) {
            List<CompiledRule> rules = new ArrayList<>();
            for (int i = 0; i < p.rules().size(); i++) {
                Rule rule = p.rules().get(i);
                try {
                    var ast = COMPILER.compile(rule.when()).getAst();
                    rules.add(new CompiledRule(rule, RUNTIME.createProgram(ast)));
                } catch (CelValidationException e) {
                    throw new InvalidPolicy(p, i, rule, e.getMessage());
                } catch (dev.cel.common.CelException e) {
                    throw new InvalidPolicy(p, i, rule, e.getMessage());
                }
            }
            var versions = byName.computeIfAbsent(p.name(), n -> new LinkedHashMap<>());
            if (versions.put(p.version(), new Compiled(p, rules)) != null) {
                throw new IllegalArgumentException("policy " + p.ref() + " is declared twice");
            }
        }
        return new Policies(byName);
    }

    /** Whether any of these policies has an output rule that can withhold an answer (deny or review). */
    public boolean withholdsAtOutput(List<String> refs) {
        return refs.stream()
                .map(this::compiled)
                .flatMap(Optional::stream)
                .flatMap(c -> c.policy().rules().stream())
                .anyMatch(r -> r.stage() == Rule.Stage.OUTPUT
                        && (r.effect() == Rule.Effect.DENY || r.effect() == Rule.Effect.REVIEW));
    }

    /** A policy by {@code name@version}, {@code name@label} or {@code name} (its last version). */
    public Optional<Policy> find(String ref) {
        return compiled(ref).map(Compiled::policy);
    }

    public List<Policy> versions(String name) {
        return policies.getOrDefault(name, Map.of()).values().stream()
                .map(Compiled::policy)
                .toList();
    }

    /**
     * The input guard applying these policies' input rules to the models that name them (deny, send to review,
     * redact); plug it in with {@link #outputGuard()}, which applies their output rules.
     */
    public GuardInput inputGuard() {
        return new PolicyGuard(this);
    }

    /** The output guard applying these policies' output rules to the models that name them. */
    public GuardOutput outputGuard() {
        return new PolicyGuard(this);
    }

    public Set<String> names() {
        return policies.keySet();
    }

    /**
     * Judges a context by the rules of {@code refs} at one stage.
     *
     * @throws IllegalArgumentException for a reference to no policy (checked at load)
     */
    public Verdict judge(List<String> refs, Rule.Stage stage, Map<String, ?> context) {
        Map<String, Object> variables = normalized(context);
        for (String name : VARIABLES) {
            variables.putIfAbsent(name, name.equals("tenant") ? "" : Map.of());
        }
        List<Match> matched = new ArrayList<>();
        List<String> judged = new ArrayList<>();
        for (String ref : refs) {
            Compiled c = compiled(ref).orElseThrow(() -> new IllegalArgumentException("no policy '" + ref + "'"));
            judged.add(c.policy().ref());
            for (CompiledRule r : c.rules()) {
                if (r.rule().stage() != stage) {
                    continue;
                }
                try {
                    if (Boolean.TRUE.equals(r.program().eval(variables))) {
                        matched.add(new Match(c.policy().ref(), r.rule(), null));
                    }
                } catch (CelEvaluationException e) {
                    matched.add(new Match(c.policy().ref(), r.rule(), e.getMessage()));
                }
            }
        }
        Rule.Effect effect = matched.stream()
                .map(m -> m.rule().effect())
                .max(Enum::compareTo)
                .orElse(Rule.Effect.ALLOW);
        return new Verdict(effect, matched, judged);
    }

    /** The outcome of a stage: the most severe effect among the rules that held, and those rules. */
    public record Verdict(Rule.Effect effect, List<Match> matched, List<String> policies) {
        public List<String> reasons() {
            return matched.stream().map(m -> m.rule().reason()).toList();
        }
    }

    /**
     * A rule that held.
     *
     * @param error why the rule could not be evaluated (it then applies), or null
     */
    public record Match(String policy, Rule rule, @Nullable String error) {}

    /** Runs every example case of every policy version; returns the failures (empty when all pass). */
    public List<String> runExamples() {
        List<String> failures = new ArrayList<>();
        for (var versions : policies.values()) {
            for (Compiled c : versions.values()) {
                for (Policy.Example ex : c.policy().examples()) {
                    Verdict v = judge(List.of(c.policy().ref()), ex.stage(), withDefaults(ex.context(), ex.stage()));
                    boolean reasonsOk = ex.reasons().isEmpty() || ex.reasons().equals(v.reasons());
                    if (v.effect() != ex.expect() || !reasonsOk) {
                        failures.add(c.policy().ref() + " example '" + ex.name() + "': expected "
                                + ex.expect().id()
                                + (ex.reasons().isEmpty() ? "" : " " + ex.reasons()) + ", got "
                                + v.effect().id()
                                + " " + v.reasons()
                                + v.matched().stream()
                                        .filter(m -> m.error() != null)
                                        .map(m -> " (rule " + m.rule().name() + " failed: " + m.error() + ")")
                                        .reduce("", String::concat));
                    }
                }
            }
        }
        return failures;
    }

    /**
     * An example's context over what the pipeline always provides (empty text, no metadata, no personal data found,
     * an external provider), so an example states only what matters to it.
     */
    static Map<String, Object> withDefaults(Map<String, ?> context, Rule.Stage stage) {
        Map<String, Object> base = new LinkedHashMap<>();
        base.put("tenant", "");
        base.put("model", Map.of("name", "", "version", ""));
        base.put("request", Map.of("kind", "chat", "text", "", "metadata", Map.of()));
        base.put("provider", Map.of("name", "", "trust", "external"));
        base.put("guard", Map.of("pii", List.of()));
        if (stage == Rule.Stage.OUTPUT) {
            base.put("output", Map.of("text", ""));
        }
        return merge(base, context);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> merge(Map<String, Object> base, Map<String, ?> over) {
        Map<String, Object> out = new LinkedHashMap<>(base);
        over.forEach((k, v) -> {
            Object b = out.get(k);
            out.put(
                    k,
                    b instanceof Map<?, ?> bm && v instanceof Map<?, ?> vm
                            ? merge((Map<String, Object>) bm, (Map<String, ?>) vm)
                            : v);
        });
        return out;
    }

    /** How many example cases there are. */
    public int exampleCount() {
        return policies.values().stream()
                .flatMap(v -> v.values().stream())
                .mapToInt(c -> c.policy().examples().size())
                .sum();
    }

    private Optional<Compiled> compiled(String ref) {
        int at = ref.indexOf('@');
        String name = at < 0 ? ref : ref.substring(0, at);
        Map<String, Compiled> versions = policies.get(name);
        if (versions == null || versions.isEmpty()) {
            return Optional.empty();
        }
        if (at < 0) {
            return Optional.of(new ArrayList<>(versions.values()).getLast());
        }
        String which = ref.substring(at + 1);
        Compiled exact = versions.get(which);
        if (exact != null) {
            return Optional.of(exact);
        }
        return versions.values().stream()
                .filter(c -> c.policy().labels().contains(which))
                .findFirst();
    }

    /** CEL wants longs and doubles: JSON and YAML give ints, floats and big numbers too. */
    @SuppressWarnings("unchecked")
    static @Nullable Object normalize(@Nullable Object value) {
        return switch (value) {
            case null -> null;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case BigInteger b -> b.longValue();
            case Float f -> f.doubleValue();
            case BigDecimal d -> d.doubleValue();
            case Map<?, ?> m -> normalized((Map<String, ?>) m);
            case List<?> l -> l.stream().map(Policies::normalize).toList();
            default -> value;
        };
    }

    private static Map<String, Object> normalized(Map<String, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            Object n = normalize(v);
            if (n != null) {
                out.put(k, n);
            }
        });
        return out;
    }

    private static CelCompiler compiler() {
        var builder = CelCompilerFactory.standardCelCompilerBuilder()
                .setOptions(OPTIONS)
                .setStandardMacros(dev.cel.parser.CelStandardMacro.STANDARD_MACROS)
                .setResultType(SimpleType.BOOL)
                .addVar("tenant", SimpleType.STRING);
        for (String name : VARIABLES) {
            if (!name.equals("tenant")) {
                builder.addVar(name, MapType.create(SimpleType.STRING, SimpleType.DYN));
            }
        }
        return builder.build();
    }

    private record Compiled(Policy policy, List<CompiledRule> rules) {}

    private record CompiledRule(Rule rule, CelRuntime.Program program) {}

    /** A rule whose expression does not compile. */
    public static final class InvalidPolicy extends IllegalArgumentException {
        private final int ruleIndex;

        InvalidPolicy(Policy p, int index, Rule rule, @Nullable String celMessage) {
            super("policy " + p.ref() + ", rule '" + rule.name() + "': " + celMessage);
            this.ruleIndex = index;
        }

        /** The position of the rule in its policy version's list. */
        public int ruleIndex() {
            return ruleIndex;
        }
    }
}
