package dev.airlock.decision;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a key may do. Each role is a set of permissions; admin holds all of them. */
public enum Role {
    APP,
    OPERATOR,
    REVIEWER,
    AUDITOR,
    ADMIN;

    /** The role's name as written in config, keys and audit records: lower case. */
    private final String id = name().toLowerCase(Locale.ROOT);

    public String id() {
        return id;
    }

    public boolean may(Permission permission) {
        return switch (permission) {
            case CALL_MODELS -> this == APP || this == ADMIN;
            case READ_DECISIONS -> this == AUDITOR || this == ADMIN || this == OPERATOR;
            case MANAGE_KEYS, WAIVE_CHECKS -> this == ADMIN;
            case DEPLOY -> this == OPERATOR || this == ADMIN;
            case REVIEW -> this == REVIEWER || this == ADMIN;
            case MANAGE_SOURCES -> this == OPERATOR || this == ADMIN;
        };
    }

    /**
     * Parses a role id.
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static Role parse(String value) {
        for (Role role : values()) {
            if (role.id().equals(value)) {
                return role;
            }
        }
        throw new IllegalArgumentException("role '" + value + "' is not one of " + allIds());
    }

    public static String allIds() {
        return Arrays.stream(values()).map(Role::id).collect(Collectors.joining("|"));
    }

    /** What a request needs its key's role to allow. */
    public enum Permission {
        CALL_MODELS,
        READ_DECISIONS,
        MANAGE_KEYS,
        /** Promote, roll back, start and stop canaries and shadows, move aliases. */
        DEPLOY,
        /** Accept a failed readiness check with a justification. */
        WAIVE_CHECKS,
        /** Claim, approve, reject and edit answers held for review. */
        REVIEW,
        /** Set how far document sources are trusted, and release quarantined documents. */
        MANAGE_SOURCES
    }
}
