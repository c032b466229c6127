package dev.airlock.monitor.drift;

import dev.airlock.monitor.drift.DriftReport.ColumnDrift;
import dev.airlock.monitor.drift.DriftReport.Histogram;
import java.util.Locale;

/**
 * The report as one self-contained HTML page: inline CSS, inline SVG bar charts (reference vs current per column),
 * no scripts and nothing fetched. Every string from the data is escaped. The page is also well-formed XML, so it can
 * be checked with a strict parser.
 */
final class DriftHtml {

    private static final int CHART_WIDTH = 640;
    private static final int CHART_HEIGHT = 160;
    private static final int LABEL_HEIGHT = 70;

    private DriftHtml() {}

    static String render(DriftReport report, String title) {
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>")
                .append(escape(title))
                .append("</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}")
                .append("table{border-collapse:collapse}td,th{padding:4px 10px;border-bottom:1px solid #ddd;")
                .append("text-align:left}tr.drift td{background:#fde8e8}.yes{color:#b00;font-weight:bold}")
                .append(".ref{fill:#7a8ca3}.cur{fill:#e08a2c}section{margin:2em 0}")
                .append("\n</style>\n</head>\n<body>\n<h1>")
                .append(escape(title))
                .append("</h1>\n<p id=\"verdict\" class=\"")
                .append(report.datasetDrift() ? "yes" : "no")
                .append("\">Dataset drift: ")
                .append(report.datasetDrift() ? "yes" : "no")
                .append(String.format(
                        Locale.ROOT,
                        " (%d of %d columns drifted, share %.2f, threshold %.2f)",
                        report.drifted(),
                        report.evaluated(),
                        report.share(),
                        report.shareThreshold()))
                .append("</p>\n<table>\n<thead><tr><th>column</th><th>type</th><th>method</th><th>statistic</th>")
                .append("<th>p-value</th><th>threshold</th><th>drift</th></tr></thead>\n<tbody>\n");
        for (ColumnDrift c : report.columns()) {
            h.append("<tr class=\"")
                    .append(c.drifted() ? "drift" : "stable")
                    .append("\" data-column=\"")
                    .append(escape(c.name()))
                    .append("\"><td>")
                    .append(escape(c.name()))
                    .append("</td><td>")
                    .append(c.numeric() ? "numeric" : "categorical")
                    .append("</td><td>")
                    .append(escape(c.method().key()))
                    .append("</td><td>")
                    .append(c.skipped() != null ? "-" : DriftText.figure(c.statistic()))
                    .append("</td><td>")
                    .append(c.pValue() == null ? "-" : DriftText.figure(c.pValue()))
                    .append("</td><td>")
                    .append(DriftText.figure(c.threshold()))
                    .append("</td><td>")
                    .append(c.skipped() != null ? "skipped: " + escape(c.skipped()) : c.drifted() ? "DRIFT" : "no")
                    .append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
        for (ColumnDrift c : report.columns()) {
            h.append("<section>\n<h2>")
                    .append(escape(c.name()))
                    .append(c.drifted() ? " <span class=\"yes\">(drift)</span>" : "")
                    .append("</h2>\n");
            chart(h, c.name(), c.histogram());
            h.append("</section>\n");
        }
        h.append("<p>Bars: <svg width=\"12\" height=\"12\"><rect class=\"ref\" width=\"12\" height=\"12\"/></svg>"
                        + " reference, <svg width=\"12\" height=\"12\"><rect class=\"cur\" width=\"12\" height=\"12\"/>"
                        + "</svg> current (share of each side's values).</p>\n")
                .append("</body>\n</html>\n");
        return h.toString();
    }

    private static void chart(StringBuilder h, String column, Histogram histogram) {
        int bins = histogram.bins().size();
        h.append("<svg role=\"img\" width=\"")
                .append(CHART_WIDTH)
                .append("\" height=\"")
                .append(CHART_HEIGHT + LABEL_HEIGHT)
                .append("\" aria-label=\"")
                .append(escape(column))
                .append(": reference and current shares\">\n");
        double top = 0;
        for (int i = 0; i < bins; i++) {
            top = Math.max(
                    top,
                    Math.max(histogram.reference().get(i), histogram.current().get(i)));
        }
        double slot = bins == 0 ? 0 : (double) CHART_WIDTH / bins;
        double bar = slot * 0.4;
        for (int i = 0; i < bins; i++) {
            double x = i * slot;
            bar(
                    h,
                    "ref",
                    x + slot * 0.1,
                    bar,
                    histogram.reference().get(i),
                    top,
                    histogram.bins().get(i));
            bar(
                    h,
                    "cur",
                    x + slot * 0.5,
                    bar,
                    histogram.current().get(i),
                    top,
                    histogram.bins().get(i));
            h.append(String.format(
                            Locale.ROOT,
                            "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" transform=\"rotate(45 %.1f %d)\">",
                            x + slot * 0.3,
                            CHART_HEIGHT + 12,
                            x + slot * 0.3,
                            CHART_HEIGHT + 12))
                    .append(escape(shorten(histogram.bins().get(i))))
                    .append("</text>\n");
        }
        h.append("</svg>\n");
    }

    private static void bar(
            StringBuilder h, String side, double x, double width, double share, double top, String bin) {
        double height = top == 0 ? 0 : share / top * (CHART_HEIGHT - 10);
        h.append(String.format(
                        Locale.ROOT,
                        "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>",
                        side,
                        x,
                        CHART_HEIGHT - height,
                        width,
                        height))
                .append(escape(bin))
                .append(": ")
                .append(side.equals("ref") ? "reference " : "current ")
                .append(String.format(Locale.ROOT, "%.4f", share))
                .append("</title></rect>\n");
    }

    private static String shorten(String label) {
        return label.length() <= 18 ? label : label.substring(0, 17) + "…";
    }

    /** Escapes text and attribute values alike (&amp; &lt; &gt; &quot; &#39;). */
    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    // control characters are not allowed in XML 1.0 (nor sensible in HTML)
                    if (ch < 0x20 && ch != '\n' && ch != '\t' && ch != '\r') {
                        out.append('\uFFFD');
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.toString();
    }
}
