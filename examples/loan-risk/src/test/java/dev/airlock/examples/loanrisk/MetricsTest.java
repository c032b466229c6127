package dev.airlock.examples.loanrisk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MetricsTest {
    @Test
    void auc_isOneForAPerfectRanking_zeroForAReversedOne_andHalfForTies() {
        boolean[] y = {false, false, true, true};

        assertThat(Metrics.auc(new double[] {0.1, 0.2, 0.8, 0.9}, y)).isEqualTo(1.0);
        assertThat(Metrics.auc(new double[] {0.9, 0.8, 0.2, 0.1}, y)).isEqualTo(0.0);
        assertThat(Metrics.auc(new double[] {0.5, 0.5, 0.5, 0.5}, y)).isEqualTo(0.5);
        assertThat(Metrics.auc(new double[] {0.1, 0.6, 0.4, 0.9}, y)).isEqualTo(0.75);
    }

    @Test
    void logLoss_isTheMeanNegativeLogLikelihood() {
        assertThat(Metrics.logLoss(new double[] {0.5, 0.5}, new boolean[] {true, false}))
                .isCloseTo(Math.log(2), within(1e-12));
        assertThat(Metrics.logLoss(new double[] {1.0}, new boolean[] {false})).isCloseTo(34.54, within(0.01));
    }
}
