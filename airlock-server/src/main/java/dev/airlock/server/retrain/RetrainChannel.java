package dev.airlock.server.retrain;

import dev.airlock.alert.Alert;
import dev.airlock.alert.Channel;
import dev.airlock.alert.Notification;
import dev.airlock.monitor.retrain.Retraining;
import java.util.concurrent.Executor;

/**
 * The alert channel that retrains: when an alert whose rule a model's retraining is declared {@code on} (drift,
 * accuracy) fires, it starts a run on its own thread and returns at once, so a training job never holds up the alert
 * evaluator. Every other message is accepted and ignored. The cool-down is the run's own (see {@link Retraining}).
 */
final class RetrainChannel implements Channel {
    static final String NAME = "retrain";

    private final Retraining retraining;
    private final Executor runs;

    RetrainChannel(Retraining retraining, Executor runs) {
        this.retraining = retraining;
        this.runs = runs;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void deliver(Message message) {
        Alert a = message.alert();
        if (message.stage() != Notification.Stage.FIRING || !retraining.startsOn(a.model(), a.rule())) {
            return;
        }
        Retraining.Request request = new Retraining.Request(
                a.model(),
                a.version().isEmpty() ? null : a.version(),
                a.rule(),
                a.value(),
                a.threshold(),
                a.id(),
                "airlock",
                false);
        runs.execute(() -> retraining.retrain(request));
    }
}
