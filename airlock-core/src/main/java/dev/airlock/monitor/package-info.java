/**
 * Streaming profiles of what each model version is given and what it answers, per time window, in constant memory:
 * the base that drift detection, alerts and the console read. {@link dev.airlock.monitor.Profiler} is the watcher on
 * the record path; {@link dev.airlock.monitor.Profiles} the use cases (read, reference profiles);
 * {@link dev.airlock.monitor.ProfileStore} the port that keeps window partials of every node and reference profiles.
 */
@NullMarked
package dev.airlock.monitor;

import org.jspecify.annotations.NullMarked;
