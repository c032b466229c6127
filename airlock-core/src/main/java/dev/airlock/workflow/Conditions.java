package dev.airlock.workflow;

import dev.cel.common.CelException;
import dev.cel.common.CelOptions;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * CEL conditions of branches and loops, over {@code input} (the run's input) and {@code steps} (each step's output by
 * id), type-checked when the workflow is built; a condition that cannot be evaluated fails the run, never guesses.
 */
final class Conditions {
    private static final CelOptions OPTIONS =
            CelOptions.current().enableHeterogeneousNumericComparisons(true).build();
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .setResultType(SimpleType.BOOL)
            .addVar("input", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar("steps", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .build();
    private static final CelRuntime RUNTIME =
            CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();

    private Conditions() {}

    static CelRuntime.Program compile(String expression, String where) {
        try {
            return RUNTIME.createProgram(COMPILER.compile(expression).getAst());
        } catch (CelException e) {
            throw new IllegalArgumentException(
                    where + ": '" + expression + "' is not a valid condition: " + e.getMessage());
        }
    }

    /**
     * @throws IllegalStateException naming the condition when it cannot be evaluated
     */
    static boolean holds(String expression, Map<String, Object> variables) {
        try {
            return Boolean.TRUE.equals(compile(expression, "condition").eval(normalized(variables)));
        } catch (CelEvaluationException e) {
            throw new IllegalStateException("condition '" + expression + "' could not be evaluated: " + e.getMessage());
        }
    }

    static Map<String, Object> normalized(Map<String, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            Object n = normalize(v);
            if (n != null) {
                out.put(k, n);
            }
        });
        return out;
    }

    private static @Nullable Object normalize(@Nullable Object value) {
        return switch (value) {
            case null -> null;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case BigInteger b -> b.longValue();
            case Float f -> f.doubleValue();
            case BigDecimal d -> d.doubleValue();
            case Map<?, ?> m -> {
                Map<String, Object> out = new LinkedHashMap<>();
                m.forEach((k, v) -> {
                    Object n = normalize(v);
                    if (n != null) {
                        out.put(String.valueOf(k), n);
                    }
                });
                yield out;
            }
            case List<?> l ->
                l.stream().map(Conditions::normalize).filter(x -> x != null).toList();
            default -> value;
        };
    }
}
