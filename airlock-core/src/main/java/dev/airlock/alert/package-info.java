/**
 * Alerts: rules over named signals, evaluated with for-durations (pending, firing, resolved), notified to a model's
 * owner and escalated when nobody acknowledges them. Entry: {@link Alerts}; ports {@link AlertStore} (state,
 * notifications, silences, the evaluator lease), {@link SignalSource} (what rules read) and {@link Channel} (where
 * notifications go).
 */
@NullMarked
package dev.airlock.alert;

import org.jspecify.annotations.NullMarked;
