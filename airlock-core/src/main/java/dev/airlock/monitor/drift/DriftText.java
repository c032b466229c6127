package dev.airlock.monitor.drift;

import dev.airlock.monitor.drift.DriftReport.ColumnDrift;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The report as an aligned plain-text table, for terminals and notifications. */
final class DriftText {

    private static final List<String> HEADER =
            List.of("column", "type", "method", "statistic", "p-value", "threshold", "drift", "nulls (ref/cur)");

    private DriftText() {}

    static String render(DriftReport report) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (ColumnDrift c : report.columns()) {
            rows.add(List.of(
                    c.name(),
                    c.numeric() ? "numeric" : "categorical",
                    c.method().key(),
                    c.skipped() != null ? "-" : figure(c.statistic()),
                    c.pValue() == null ? "-" : figure(c.pValue()),
                    figure(c.threshold()),
                    c.skipped() != null ? "skipped" : c.drifted() ? "DRIFT" : "no",
                    c.reference().nulls() + "/" + c.current().nulls()));
        }
        int[] widths = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(String.format(Locale.ROOT, "%-" + widths[i] + "s", row.get(i)));
                line.append(i + 1 < row.size() ? "  " : "");
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        for (ColumnDrift c : report.columns()) {
            if (c.skipped() != null) {
                out.append("skipped ")
                        .append(c.name())
                        .append(": ")
                        .append(c.skipped())
                        .append('\n');
            }
        }
        out.append(String.format(
                Locale.ROOT,
                "dataset drift: %s (%d of %d columns drifted, share %.2f, threshold %.2f)%n",
                report.datasetDrift() ? "YES" : "no",
                report.drifted(),
                report.evaluated(),
                report.share(),
                report.shareThreshold()));
        return out.toString();
    }

    static String figure(double v) {
        if (v != 0 && (Math.abs(v) < 1e-4 || Math.abs(v) >= 1e6)) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
