package dev.airlock.guard;

import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The first layer of prompt-injection detection: phrasings that try to override instructions, change the model's
 * role, reveal hidden instructions, or smuggle a system turn into content. Each pattern has a weight; the score is
 * the highest weight that matches (0 when none). Cheap and explainable; the embedding classifier catches paraphrases.
 */
public final class InjectionHeuristics {
    private record Signal(String name, Pattern pattern, double weight) {}

    private static final List<Signal> SIGNALS = List.of(
            new Signal(
                    "override",
                    Pattern.compile(
                            "(?i)\\b(ignore|disregard|forget|override|discard|set aside|stop following)\\b[^.\\n]{0,40}"
                                    + "\\b(all |any |the |your |every |whatever )?(previous|prior|above|earlier|preceding|system|"
                                    + "original|developer'?s?|operator'?s?)\\b[^.\\n]{0,20}\\b(instructions?|prompts?|rules|"
                                    + "directions|guidelines|guidance|policy|policies|messages?)\\b"),
                    0.95),
            new Signal(
                    "override-other-languages",
                    Pattern.compile(
                            "(?i)(ignora (todas )?las instrucciones|ignoriere (alle )?(vorherigen )?anweisungen|"
                                    + "oublie (tes|vos) instructions|ignora (tutte )?le istruzioni)"),
                    0.95),
            new Signal(
                    "reveal-hidden",
                    Pattern.compile("(?i)\\b(reveal|print|show|repeat|output|tell me|give me|display)\\b[^.\\n]{0,40}"
                            + "\\b(system prompt|hidden (instructions|configuration)|secret instructions|"
                            + "instructions you were (given|told)|text (that appears )?(before|above) (my|this))"),
                    0.9),
            new Signal(
                    "role-change",
                    Pattern.compile(
                            "(?i)\\b(you are now|from now on you are|you are no longer|enter|switch to)\\b[^.\\n]{0,30}"
                                    + "\\b(dan|jailbreak|developer mode|maintenance mode|unrestricted|unfiltered|no (restrictions|"
                                    + "rules|policies|guidelines|filters?))\\b"),
                    0.9),
            new Signal(
                    "no-rules",
                    Pattern.compile(
                            "(?i)\\b(without any|with no|no longer have|disable (your)?|ignoring any)\\b[^.\\n]{0,20}"
                                    + "\\b(restrictions|filters?|safety (rules|filters|policy)|content rules|guidelines)\\b"),
                    0.8),
            new Signal(
                    "smuggled-turn",
                    Pattern.compile(
                            "(?i)(<\\|im_start\\|>\\s*system|\\[/?INST]|###\\s*system\\s*:|\\[system]|```system|"
                                    + "\\bnew system message\\b|\\bbegin new instructions\\b|end of (user input|context)\\.?\\s)"),
                    0.85),
            new Signal(
                    "addressed-to-the-model",
                    Pattern.compile(
                            "(?i)\\b(note to (the |any )?ai|assistant reading this|if you are (a|an) (language model|ai)|"
                                    + "(instruction|instructions|message) for (the |any )?(language model|ai|assistant|llm)|"
                                    + "ai agent:|model instructions:)"),
                    0.85));

    private InjectionHeuristics() {}

    /**
     * Where the strongest signal matched. The patterns run over the whole text, however long: an instruction placed
     * at the end of a long document is found as surely as one at the start.
     *
     * @param signal the signal's name
     * @param weight its weight, 0 to 1
     * @param start the match's first character in the text
     * @param end the character after the match's last
     */
    public record Match(String signal, double weight, int start, int end) {}

    /** The strongest signal's weight, 0 to 1. */
    public static double score(@Nullable String text) {
        Match m = find(text);
        return m == null ? 0 : m.weight();
    }

    /** The name of the strongest signal, or null. */
    public static @Nullable String signal(@Nullable String text) {
        Match m = find(text);
        return m == null ? null : m.signal();
    }

    /** The strongest signal and where it first matched, or null when none does. */
    public static @Nullable Match find(@Nullable String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Match best = null;
        for (Signal s : SIGNALS) {
            if (best == null || s.weight() > best.weight()) {
                var matcher = s.pattern().matcher(text);
                if (matcher.find()) {
                    best = new Match(s.name(), s.weight(), matcher.start(), matcher.end());
                }
            }
        }
        return best;
    }
}
