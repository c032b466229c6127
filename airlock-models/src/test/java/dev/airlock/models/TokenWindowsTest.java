package dev.airlock.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.models.TokenWindows.Window;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenWindowsTest {
    @Test
    void aTextThatFitsTheModel_isOneWindowOverAllOfIt() {
        for (int tokens : new int[] {1, 7, TokenWindows.SIZE, TokenWindows.WHOLE}) {
            assertThat(TokenWindows.plan(tokens)).as("%d tokens", tokens).containsExactly(new Window(0, tokens));
        }
    }

    @Test
    void oneTokenMoreThanTheModelReads_isTwoOverlappingWindows() {
        int tokens = TokenWindows.WHOLE + 1;

        assertThat(TokenWindows.plan(tokens))
                .containsExactly(new Window(0, TokenWindows.SIZE), new Window(tokens - TokenWindows.SIZE, tokens));
    }

    @Test
    void longTexts_areCoveredToTheLastToken_byWindowsTheModelReadsThatOverlap() {
        for (int tokens = TokenWindows.WHOLE + 1; tokens <= 3_000; tokens += 7) {
            List<Window> windows = TokenWindows.plan(tokens);

            assertThat(windows.getFirst().from()).isZero();
            assertThat(windows.getLast().to()).isEqualTo(tokens);
            assertThat(windows).allSatisfy(w -> assertThat(w.length()).isEqualTo(TokenWindows.SIZE));
            for (int i = 1; i < windows.size(); i++) {
                Window before = windows.get(i - 1);
                Window after = windows.get(i);
                assertThat(after.from())
                        .as("%d tokens, window %d starts after the one before", tokens, i)
                        .isGreaterThan(before.from());
                assertThat(before.to() - after.from())
                        .as("%d tokens, windows %d and %d overlap", tokens, i - 1, i)
                        .isGreaterThanOrEqualTo(TokenWindows.OVERLAP);
            }
            boolean[] covered = new boolean[tokens];
            windows.forEach(w -> Arrays.fill(covered, w.from(), w.to(), true));
            for (int t = 0; t < tokens; t++) {
                assertThat(covered[t])
                        .as("%d tokens: token %d is read", tokens, t)
                        .isTrue();
            }
        }
    }

    @Test
    void aPhraseUpToTheOverlapLong_liesWholeInSomeWindow_whereverItFalls() {
        int tokens = 1_234;
        List<Window> windows = TokenWindows.plan(tokens);

        for (int from = 0; from + TokenWindows.OVERLAP <= tokens; from++) {
            int start = from;
            assertThat(windows)
                    .as("a phrase at tokens %d-%d", start, start + TokenWindows.OVERLAP)
                    .anySatisfy(w -> {
                        assertThat(w.from()).isLessThanOrEqualTo(start);
                        assertThat(w.to()).isGreaterThanOrEqualTo(start + TokenWindows.OVERLAP);
                    });
        }
    }

    @Test
    void windowsCost_aboutAThirdMoreThanTheTextItself() {
        int tokens = 10_000;

        int read = TokenWindows.plan(tokens).stream().mapToInt(Window::length).sum();

        assertThat((double) read / tokens).isBetween(1.3, 1.36);
    }

    @Test
    void noTokens_isNotAText() {
        assertThatThrownBy(() -> TokenWindows.plan(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 0");
    }
}
