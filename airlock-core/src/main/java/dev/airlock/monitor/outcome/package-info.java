/**
 * Ground truth after go-live: what each prediction said, kept for labels that arrive later ({@link OutcomeWatcher}),
 * labels and feedback ({@link Outcomes}, the entry), and what they show: live accuracy with confidence intervals,
 * fairness by a monitored attribute, and the business case against what production delivers. Port {@link
 * OutcomeStore}.
 */
@NullMarked
package dev.airlock.monitor.outcome;

import org.jspecify.annotations.NullMarked;
