/**
 * Drift: whether the data a model sees now (current) still looks like the data it was built or accepted on
 * (reference). Per column, a statistical test (Kolmogorov–Smirnov, chi-square, two-proportion Z) or a distance
 * (PSI, Jensen–Shannon, normalised Wasserstein) on exact samples, on DataSketches KLL sketches or on category
 * counts; per dataset, whether a share of columns drifted. Entry: {@link dev.airlock.monitor.drift.Drift};
 * the result, {@link dev.airlock.monitor.drift.DriftReport}, renders as text, JSON and a self-contained HTML page.
 */
@NullMarked
package dev.airlock.monitor.drift;

import org.jspecify.annotations.NullMarked;
