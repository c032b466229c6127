package dev.airlock.policy;

import dev.airlock.decision.Stop;
import dev.airlock.guard.PiiGuard;
import dev.airlock.pii.PiiDetector;
import dev.airlock.pipeline.ContentText;
import dev.airlock.pipeline.DecisionDraft;
import dev.airlock.pipeline.GuardInput;
import dev.airlock.pipeline.GuardOutput;
import dev.airlock.provider.AiAnswer;
import dev.airlock.provider.AiRequest;
import dev.airlock.provider.ChatRequest;
import dev.airlock.provider.PredictRequest;
import dev.airlock.provider.Prediction;
import dev.airlock.registry.ServedModel;
import dev.airlock.routing.Target;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The guard stages for policy rules: judges each call by the policies of the model version that answers it, at input
 * (before anything leaves) and at output (before the answer is returned). Every judged policy version, every rule that
 * held and its reason code land in the Decision. {@code deny} refuses the call; {@code redact} at input replaces the
 * personal data found before the call leaves; {@code review} holds the answer for a person (the review stage).
 *
 * <p>The context a rule sees: {@code tenant}; {@code model} ({@code name}, {@code version}); {@code request} ({@code
 * kind}, {@code text}, {@code metadata} and {@code user} as sent, {@code features} of a prediction); {@code provider}
 * ({@code name} of the primary target, {@code trust}: the least trusted class among the route's targets); {@code guard}
 * ({@code pii}: the types of personal data found in the text judged; {@code injection}: the prompt-injection score,
 * when the model checks for it); and at output {@code output} ({@code text},
 * {@code label}, {@code probability}).
 */
final class PolicyGuard implements GuardInput, GuardOutput {
    static final String NOTE = "policy";
    private static final PiiDetector DETECTOR = new PiiDetector();
    private static final List<String> TRUST_ORDER = List.of("on-premises", "in-region", "external");

    private final Policies policies;
    private final PiiGuard redactor =
            new PiiGuard(model -> new PiiGuard.Policy(PiiGuard.Action.REDACT, PiiGuard.allTypes()));

    PolicyGuard(Policies policies) {
        this.policies = policies;
    }

    @Override
    public AiRequest check(DecisionDraft draft, AiRequest request) {
        ServedModel served = draft.served();
        if (served == null || served.info().policies().isEmpty()) {
            return request;
        }
        if (request instanceof ChatRequest chat
                && chat.stream()
                && policies.withholdsAtOutput(served.info().policies())) {
            // a streamed answer is on its way before it is complete: nothing could withhold it any more
            throw new Stop(
                            GuardInput.STAGE,
                            400,
                            "invalid_request_error",
                            "review_requires_complete_answer",
                            "Model '" + served.spec().name() + "' has policies that judge the complete answer before"
                                    + " it is returned ("
                                    + String.join(", ", served.info().policies())
                                    + "); call it without stream.",
                            "stream")
                    .toException();
        }
        Map<String, Object> context = context(draft, served, request, ContentText.of(request));
        Policies.Verdict verdict = policies.judge(served.info().policies(), Rule.Stage.INPUT, context);
        record(draft, verdict, Rule.Stage.INPUT);
        requireReview(draft, verdict);
        return switch (verdict.effect()) {
            case ALLOW, REVIEW -> request;
            case REDACT -> redactor.check(draft, request);
            case DENY -> throw denied(verdict, GuardInput.STAGE);
        };
    }

    @Override
    public AiAnswer check(DecisionDraft draft, AiRequest request, AiAnswer answer) {
        ServedModel served = draft.served();
        if (served == null || served.info().policies().isEmpty()) {
            return answer;
        }
        String text = ContentText.of(answer);
        Map<String, Object> context = context(draft, served, request, text);
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("text", text);
        if (answer instanceof Prediction p) {
            output.put("label", p.label());
            output.put("probability", p.probabilities().getOrDefault(p.label(), 0.0));
        }
        context.put("output", output);
        Policies.Verdict verdict = policies.judge(served.info().policies(), Rule.Stage.OUTPUT, context);
        record(draft, verdict, Rule.Stage.OUTPUT);
        if (verdict.effect() == Rule.Effect.DENY) {
            throw denied(verdict, GuardOutput.STAGE);
        }
        requireReview(draft, verdict);
        return answer;
    }

    private static void record(DecisionDraft draft, Policies.Verdict verdict, Rule.Stage stage) {
        String stageName = stage == Rule.Stage.INPUT ? GuardInput.STAGE : GuardOutput.STAGE;
        StringBuilder detail = new StringBuilder(String.join(", ", verdict.policies()));
        for (Policies.Match m : verdict.matched()) {
            detail.append("; ")
                    .append(m.rule().name())
                    .append(": ")
                    .append(m.rule().effect().id());
            if (m.error() != null) {
                detail.append(" (could not be evaluated, so it applies: ")
                        .append(m.error())
                        .append(')');
            }
            draft.reason(m.rule().reason());
        }
        draft.note(stageName, NOTE + ":" + verdict.effect().id(), detail.toString());
    }

    /** Every review rule that held asks for review, whatever else held (short of a denial). */
    private static void requireReview(DecisionDraft draft, Policies.Verdict verdict) {
        verdict.matched().stream()
                .filter(m -> m.rule().effect() == Rule.Effect.REVIEW)
                .forEach(m -> draft.requireReview(m.rule().reason()));
    }

    private static Stop.Stopped denied(Policies.Verdict verdict, String stage) {
        var deny = verdict.matched().stream()
                .filter(m -> m.rule().effect() == Rule.Effect.DENY)
                .findFirst()
                .orElseThrow();
        return new Stop(
                        stage,
                        403,
                        "invalid_request_error",
                        "policy_denied",
                        "Refused by policy " + deny.policy() + ", rule '"
                                + deny.rule().name() + "' (" + deny.rule().reason() + ").",
                        null)
                .toException();
    }

    private static Map<String, Object> context(
            DecisionDraft draft, ServedModel served, AiRequest request, String judgedText) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("tenant", draft.principal() == null ? "" : draft.principal().tenant());
        context.put(
                "model",
                Map.of("name", served.spec().name(), "version", served.spec().version()));
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("kind", draft.kind().id());
        req.put("text", ContentText.of(request));
        if (request instanceof ChatRequest chat) {
            Object metadata = chat.options().get("metadata");
            req.put("metadata", metadata instanceof Map<?, ?> ? metadata : Map.of());
            Object user = chat.options().get("user");
            if (user instanceof String u) {
                req.put("user", u);
            }
        } else {
            req.put("metadata", Map.of());
        }
        if (request instanceof PredictRequest predict) {
            req.put("features", predict.features());
        }
        context.put("request", req);
        context.put(
                "provider",
                Map.of("name", served.targets().getFirst().provider(), "trust", leastTrusted(served.targets())));
        TreeSet<String> types = new TreeSet<>();
        DETECTOR.find(judgedText == null ? "" : judgedText)
                .forEach(f -> types.add(f.type().id()));
        Map<String, Object> guard = new LinkedHashMap<>(draft.scores());
        guard.put("pii", List.copyOf(types));
        context.put("guard", guard);
        return context;
    }

    private static String leastTrusted(List<Target> targets) {
        int worst = 0;
        for (Target t : targets) {
            int rank = TRUST_ORDER.indexOf(t.trust());
            // a trust class we do not know is treated as the least trusted
            worst = Math.max(worst, rank < 0 ? TRUST_ORDER.size() - 1 : rank);
        }
        return TRUST_ORDER.get(worst);
    }
}
