package dev.airlock.store;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** US dollars as stored: whole nano-dollars in a BIGINT, so that sums in SQL are exact. */
final class Money {
    private Money() {}

    static Long toNanos(BigDecimal usd) {
        return usd == null
                ? null
                : usd.movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    static BigDecimal fromNanos(Long nanos) {
        return nanos == null ? null : BigDecimal.valueOf(nanos, 9);
    }
}
