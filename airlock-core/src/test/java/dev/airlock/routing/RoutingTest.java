package dev.airlock.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.decision.RequestKind;
import dev.airlock.decision.Usage;
import dev.airlock.provider.Provider;
import dev.airlock.registry.ModelSpec;
import dev.airlock.registry.ServedModel;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RoutingTest {
    private static final Provider ANY = () -> "p";

    @Test
    void costIsComputedExactly_withCachedTokensAtTheirOwnPrice() {
        var price = new Price(new BigDecimal("0.15"), new BigDecimal("0.60"), new BigDecimal("0.075"));

        // (234 x 0.15 + 1000 x 0.075 + 56 x 0.60) / 1e6 = (35.1 + 75 + 33.6) / 1e6
        assertThat(price.cost(new Usage(1234, 56, 1000))).isEqualByComparingTo("0.0001437");
        // without a cached price, cached tokens cost the input price
        assertThat(new Price(new BigDecimal("2.50"), new BigDecimal("10"), null).cost(new Usage(1000, 1000, 400)))
                .isEqualByComparingTo("0.0125");
        assertThat(Price.FREE.cost(new Usage(5, 5))).isZero();
        assertThatThrownBy(() -> new Price(new BigDecimal("-1"), BigDecimal.ONE, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void backoffIsExponentialWithFullJitter_cappedAtTheMaximum() {
        var policy = new RoutePolicy(5, Duration.ofMillis(100), Duration.ofMillis(1000), Duration.ofSeconds(10));

        assertThat(policy.backoffBefore(2, 0.999)).isEqualTo(Duration.ofMillis(99));
        assertThat(policy.backoffBefore(3, 0.999)).isEqualTo(Duration.ofMillis(199));
        assertThat(policy.backoffBefore(4, 0.999)).isEqualTo(Duration.ofMillis(399));
        assertThat(policy.backoffBefore(9, 0.999)).isEqualTo(Duration.ofMillis(999));
        assertThat(policy.backoffBefore(4, 0.0)).isEqualTo(Duration.ZERO);
    }

    @Test
    void weightsSplitTheFirstAttempt_andTheRestFollowInOrder() {
        var spec = new ModelSpec("m", RequestKind.CHAT, "1", "a", "m", null, null, null);
        var a = new Target("a", ANY, "m", 90, null, null, null, null);
        var b = new Target("b", ANY, "m", 10, null, null, null, null);
        var c = new Target("c", ANY, "m", 0, null, null, null, null);
        var model = new ServedModel(spec, List.of(a, b, c), null, null);

        assertThat(model.attemptOrder(0.0)).containsExactly(a, b, c);
        assertThat(model.attemptOrder(0.89)).containsExactly(a, b, c);
        assertThat(model.attemptOrder(0.95)).containsExactly(b, a, c);
        int toB = 0;
        var random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            if (model.attemptOrder(random.nextDouble()).getFirst() == b) {
                toB++;
            }
        }
        assertThat(toB).isBetween(850, 1150);
        var unweighted = new ServedModel(spec, List.of(c, a.withWeight(0)), null, null);
        assertThat(unweighted.attemptOrder(0.5).getFirst()).isEqualTo(c);
    }
}
