package dev.airlock.decision;

/** How a Decision ended: answered, refused by a stage before any model ran, or failed on the way. */
public sealed interface Outcome {

    /** A short stable label for metrics and search. */
    String label();

    int httpStatus();

    record Answered() implements Outcome {
        @Override
        public String label() {
            return "answered";
        }

        @Override
        public int httpStatus() {
            return 200;
        }
    }

    /** A stage said no: bad credentials, an unknown model, invalid input, a policy. */
    record Refused(Stop stop) implements Outcome {
        @Override
        public String label() {
            return "refused";
        }

        @Override
        public int httpStatus() {
            return stop.status();
        }
    }

    /** The call was allowed but did not complete: the upstream failed, timed out or cut a stream. */
    record Failed(Stop stop) implements Outcome {
        @Override
        public String label() {
            return "failed";
        }

        @Override
        public int httpStatus() {
            return stop.status();
        }
    }
}
