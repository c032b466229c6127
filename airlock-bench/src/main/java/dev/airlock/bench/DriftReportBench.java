package dev.airlock.bench;

import dev.airlock.monitor.drift.ColumnProfile;
import dev.airlock.monitor.drift.Drift;
import dev.airlock.monitor.drift.DriftOptions;
import dev.airlock.monitor.drift.DriftReport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * A drift report over many features: the reference and current windows are built as KLL sketches (numbers) and
 * category counts from seeded data streamed row by row (nothing is kept but the sketches), then compared with the
 * default options. Prints, per size, the time to build the profiles, the time of the report, and heap used (after a
 * full GC) with the profiles alive, so that memory can be seen to stay flat as rows grow.
 *
 * <p>Arguments: row counts (default 100000,1000000), features (50; one in five categorical), repeats of the report
 * (5).
 */
public final class DriftReportBench {
    private static final String[] CATEGORIES = {"a", "b", "c", "d", "e", "f", "g", "h"};

    private DriftReportBench() {}

    public static void main(String[] args) {
        String[] sizes = (args.length > 0 ? args[0] : "100000,1000000").split(",");
        int features = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        System.out.printf(
                Locale.ROOT,
                "features=%d (numeric %d, categorical %d)%n",
                features,
                features - features / 5,
                features / 5);
        for (String size : sizes) {
            run(Long.parseLong(size.trim()), features, repeats);
        }
    }

    private static void run(long rows, int features, int repeats) {
        long heapBefore = usedHeap();
        long start = System.nanoTime();
        List<ColumnProfile> reference = window(rows, features, 1, false);
        List<ColumnProfile> current = window(rows, features, 2, true);
        double buildSeconds = (System.nanoTime() - start) / 1e9;
        long heapWithProfiles = usedHeap();
        DriftReport report = null;
        double best = Double.MAX_VALUE;
        for (int i = 0; i < repeats; i++) {
            long t = System.nanoTime();
            report = Drift.report(reference, current, DriftOptions.defaults());
            best = Math.min(best, (System.nanoTime() - t) / 1e9);
        }
        long t = System.nanoTime();
        String html = report.html("bench");
        double renderSeconds = (System.nanoTime() - t) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "rows=%,d  build profiles (2 windows) %.2f s  report best of %d %.3f s  html %.3f s (%,d chars)  "
                        + "heap used: before %.1f MiB, with profiles %.1f MiB  drifted %d/%d dataset drift %s%n",
                rows,
                buildSeconds,
                repeats,
                best,
                renderSeconds,
                html.length(),
                heapBefore / 1048576.0,
                heapWithProfiles / 1048576.0,
                report.drifted(),
                report.evaluated(),
                report.datasetDrift());
    }

    /** One window: every fifth feature categorical; in the current window every fourth feature is shifted. */
    private static List<ColumnProfile> window(long rows, int features, long seed, boolean current) {
        SplittableRandom random = new SplittableRandom(seed);
        KllDoublesSketch[] sketches = new KllDoublesSketch[features];
        long[][] counts = new long[features][CATEGORIES.length];
        for (int f = 0; f < features; f++) {
            sketches[f] = KllDoublesSketch.newHeapInstance();
        }
        for (long r = 0; r < rows; r++) {
            for (int f = 0; f < features; f++) {
                boolean shifted = current && f % 4 == 0;
                if (f % 5 == 4) {
                    int c = random.nextInt(CATEGORIES.length);
                    counts[f][shifted && c == 7 ? 0 : c]++;
                } else {
                    double v = gaussian(random) * (1 + f % 3) + f;
                    sketches[f].update(shifted ? v + 0.3 * (1 + f % 3) : v);
                }
            }
        }
        List<ColumnProfile> out = new ArrayList<>();
        for (int f = 0; f < features; f++) {
            String name = "feature_" + f;
            if (f % 5 == 4) {
                Map<String, Long> map = new HashMap<>();
                for (int c = 0; c < CATEGORIES.length; c++) {
                    map.put(CATEGORIES[c], counts[f][c]);
                }
                out.add(new ColumnProfile.Categories(name, map, 0, 0));
            } else {
                out.add(new ColumnProfile.Sketch(name, sketches[f], 0, 0));
            }
        }
        return out;
    }

    private static double gaussian(SplittableRandom random) {
        // Box–Muller: SplittableRandom has no nextGaussian of its own
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
