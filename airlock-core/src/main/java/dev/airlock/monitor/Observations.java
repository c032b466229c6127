package dev.airlock.monitor;

import dev.airlock.decision.Decision;
import dev.airlock.decision.Outcome;
import dev.airlock.decision.Stop;
import dev.airlock.pipeline.GuardInput;
import dev.airlock.pipeline.GuardOutput;
import dev.airlock.provider.AiAnswer;
import dev.airlock.provider.AiRequest;
import dev.airlock.provider.ChatRequest;
import dev.airlock.provider.ChatResult;
import dev.airlock.provider.EmbeddingRequest;
import dev.airlock.provider.EmbeddingResult;
import dev.airlock.provider.PredictRequest;
import dev.airlock.provider.Prediction;
import dev.airlock.provider.StreamSummary;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one Decision adds to its profile, by kind of call. Predict: each feature as received, the predicted class and
 * the positive class's probability. Chat: tokens in and out, the answer's length in characters, and the outcome
 * (answered, model refusal, guard stop, refused otherwise, failed). Embedding: each input's length in characters.
 */
final class Observations {
    static final String PREDICTED_CLASS = "predicted_class";
    static final String PROBABILITY = "probability";
    static final String INPUT_TOKENS = "input_tokens";
    static final String OUTPUT_TOKENS = "output_tokens";
    static final String ANSWER_CHARS = "answer_chars";
    static final String OUTCOME = "outcome";
    static final String INPUT_CHARS = "input_chars";

    private Observations() {}

    static void observe(Profile p, ProfileSpec spec, Decision d, AiRequest request, @Nullable AiAnswer answer) {
        p.countCall();
        switch (request) {
            case PredictRequest predict -> features(p, spec, predict.features());
            case ChatRequest chat -> chat(p, d, answer);
            case EmbeddingRequest embed -> {
                Column chars = p.input(INPUT_CHARS, ColumnKind.NUMERIC);
                if (chars instanceof NumericColumn n) {
                    embed.inputs().forEach(text -> n.add(text.length()));
                }
            }
        }
        if (answer instanceof Prediction prediction) {
            prediction(p, spec, prediction);
        }
    }

    /** A row of features as received: declared ones by declared kind, others counted as unknown. */
    static void features(Profile p, ProfileSpec spec, Map<String, ?> row) {
        if (!spec.declared()) {
            inferred(p, spec, row);
            return;
        }
        for (var f : spec.features().entrySet()) {
            String name = f.getKey();
            Object value = row.get(name);
            Column c = p.input(name, f.getValue());
            if (c == null) {
                continue;
            }
            if (value == null && !row.containsKey(name)) {
                p.countMissing(name);
                c.addNull();
            } else {
                value(c, value, spec);
            }
        }
        if (row.size() > spec.features().size() || !spec.features().keySet().containsAll(row.keySet())) {
            for (String name : row.keySet()) {
                if (!spec.features().containsKey(name)) {
                    p.countUnknown(name);
                }
            }
        }
    }

    /** A value of a column: a number into a numeric column, a string into a categorical one; else a type error. */
    static void value(Column c, @Nullable Object value, ProfileSpec spec) {
        if (value == null || (value instanceof String s && spec.missing(s))) {
            c.addNull();
            return;
        }
        switch (c) {
            case NumericColumn n -> {
                if (value instanceof Number number && Double.isFinite(number.doubleValue())) {
                    n.add(number.doubleValue());
                } else {
                    n.addTypeError();
                }
            }
            case CategoricalColumn k -> {
                if (value instanceof String s) {
                    k.add(s);
                } else if (value instanceof Boolean b) {
                    k.add(b.toString());
                } else {
                    k.addTypeError();
                }
            }
        }
    }

    /** A value read from text (reference data): numeric columns parse it, categorical ones take it as it is. */
    static void text(Column c, String value, ProfileSpec spec) {
        if (spec.missing(value)) {
            c.addNull();
            return;
        }
        switch (c) {
            case NumericColumn n -> {
                double parsed = parse(value.strip());
                if (Double.isFinite(parsed)) {
                    n.add(parsed);
                } else {
                    n.addTypeError();
                }
            }
            case CategoricalColumn k -> k.add(value.strip());
        }
    }

    static double parse(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static void inferred(Profile p, ProfileSpec spec, Map<String, ?> row) {
        for (var e : row.entrySet()) {
            Object value = e.getValue();
            Column c = p.input(e.getKey());
            if (c == null) {
                if (value == null) {
                    continue; // a kind cannot be told from null; counted once the first value arrives
                }
                c = p.input(e.getKey(), value instanceof Number ? ColumnKind.NUMERIC : ColumnKind.CATEGORICAL);
                if (c == null) {
                    p.countUnknown(e.getKey());
                    continue;
                }
            }
            value(c, value, spec);
        }
    }

    private static void prediction(Profile p, ProfileSpec spec, Prediction prediction) {
        ((CategoricalColumn) p.output(PREDICTED_CLASS, ColumnKind.CATEGORICAL)).add(prediction.label());
        String positive = spec.positiveClass();
        if (positive != null) {
            Double probability = prediction.probabilities().get(positive);
            Column c = p.output(PROBABILITY, ColumnKind.NUMERIC);
            value(c, probability, spec);
        }
    }

    private static void chat(Profile p, Decision d, @Nullable AiAnswer answer) {
        String text = null;
        String finish = null;
        if (answer instanceof ChatResult r) {
            text = r.text();
            finish = r.finishReason();
        } else if (answer instanceof StreamSummary s) {
            text = s.text();
            finish = s.finishReason();
        }
        if (answer != null && !(answer instanceof EmbeddingResult)) {
            ((NumericColumn) Objects.requireNonNull(
                            p.input(INPUT_TOKENS, ColumnKind.NUMERIC), "a chat profile has one input"))
                    .add(d.usage().inputTokens());
            ((NumericColumn) p.output(OUTPUT_TOKENS, ColumnKind.NUMERIC))
                    .add(d.usage().outputTokens());
        }
        if (text != null) {
            ((NumericColumn) p.output(ANSWER_CHARS, ColumnKind.NUMERIC)).add(text.length());
        }
        ((CategoricalColumn) p.output(OUTCOME, ColumnKind.CATEGORICAL)).add(outcome(d.outcome(), finish));
    }

    /** The outcome a chat profile counts: refusal and guard-stop rates are its shares. */
    static String outcome(Outcome outcome, @Nullable String finishReason) {
        return switch (outcome) {
            case Outcome.Answered a -> "content_filter".equals(finishReason) ? "model_refusal" : "answered";
            case Outcome.Refused r -> guardStop(r.stop()) ? "guard_stop" : "refused";
            case Outcome.Failed f -> "failed";
        };
    }

    private static boolean guardStop(Stop stop) {
        return stop.stage().equals(GuardInput.STAGE) || stop.stage().equals(GuardOutput.STAGE);
    }
}
