package dev.airlock.decision;

import java.security.SecureRandom;
import java.util.UUID;

/** Time-ordered Decision ids (UUID version 7), so ids sort by arrival. */
public final class DecisionIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private DecisionIds() {}

    public static String next(long epochMillis) {
        long randA = RANDOM.nextInt(1 << 12);
        long msb = (epochMillis << 16) | (0x7L << 12) | randA;
        long lsb = (RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb).toString();
    }
}
