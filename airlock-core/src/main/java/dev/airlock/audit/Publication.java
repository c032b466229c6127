package dev.airlock.audit;

import java.util.List;

/**
 * Checkpoints published outside the database ({@code audit.publish}), as {@link VerificationReport} reads them. The
 * server keeps them in a file; reading it is I/O, so it stays behind this port.
 */
public interface Publication {
    /** Where they are published, for messages (e.g. the file's path). */
    String where();

    /** The checkpoints published, in the order written. */
    Read read();

    /** What reading the publication found. */
    sealed interface Read {
        /** The checkpoints published (none when the file is empty). */
        record Found(List<Checkpoint> checkpoints) implements Read {
            public Found {
                checkpoints = List.copyOf(checkpoints);
            }
        }

        /** Nothing is published there: no file. */
        record Absent() implements Read {}

        /** Something is there, but not published checkpoints: {@code problem} names the line and what is wrong. */
        record Unreadable(String problem) implements Read {}
    }
}
