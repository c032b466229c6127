/**
 * Retraining: when a model's drift or live accuracy crosses its threshold (or an operator asks), {@link Retraining}
 * (the entry) writes a data extract of the model's recent labelled predictions with their kept features, runs the
 * model's configured {@link Trigger} (a command or a webhook), registers the candidate version it reports (never
 * promoted: evaluation, shadow, canary and the gate come next) and records the run in port {@link RetrainStore}.
 */
@NullMarked
package dev.airlock.monitor.retrain;

import org.jspecify.annotations.NullMarked;
