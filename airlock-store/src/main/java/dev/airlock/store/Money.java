package dev.airlock.store;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.jspecify.annotations.Nullable;

/** US dollars as stored: whole nano-dollars in a BIGINT, so that sums in SQL are exact. */
final class Money {
    private Money() {}

    static @Nullable Long toNanos(@Nullable BigDecimal usd) {
        return usd == null ? null : nanos(usd);
    }

    static long nanos(BigDecimal usd) {
        return usd.movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    static @Nullable BigDecimal fromNanos(@Nullable Long nanos) {
        return nanos == null ? null : usd(nanos);
    }

    static BigDecimal usd(long nanos) {
        return BigDecimal.valueOf(nanos, 9);
    }
}
