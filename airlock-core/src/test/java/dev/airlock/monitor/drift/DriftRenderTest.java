package dev.airlock.monitor.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringReader;
import java.util.List;
import java.util.Random;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** The three renderings say the same thing: every column, which ones drifted, and the dataset's verdict. */
class DriftRenderTest {

    private static final String HOSTILE = "<script>alert('x')</script> & \"co\"";

    private final DriftReport report = report();

    private static DriftReport report() {
        Random random = new Random(5);
        return Drift.report(
                List.of(
                        ColumnProfile.numbers("income", DriftTest.normal(random, 400, 0)),
                        ColumnProfile.numbers("age", DriftTest.normal(random, 400, 0)),
                        ColumnProfile.categories(HOSTILE, List.of("a", "b", "a", "<b>", "a"))),
                List.of(
                        ColumnProfile.numbers("income", DriftTest.normal(random, 300, 1)),
                        ColumnProfile.numbers("age", DriftTest.normal(random, 300, 0)),
                        ColumnProfile.categories(HOSTILE, List.of("a", "b", "b", "<b>", "b"))),
                DriftOptions.defaults());
    }

    @Test
    void text_isAnAlignedTable_withEveryColumnAndTheVerdict() {
        String text = report.text();
        List<String> lines = text.lines().toList();
        assertThat(lines.getFirst()).startsWith("column").contains("method", "statistic", "p-value", "drift");
        int methodAt = lines.getFirst().indexOf("method");
        assertThat(lines.subList(1, 4))
                .allSatisfy(line -> assertThat(line.substring(methodAt)).matches("^(ks|chisquare|z) .*"));
        assertThat(text).contains("income", "age", HOSTILE);
        assertThat(lines.get(1)).contains("DRIFT");
        assertThat(lines.get(2)).doesNotContain("DRIFT");
        assertThat(lines.getLast()).startsWith("dataset drift: ").contains("of 3 columns drifted");
    }

    @Test
    void json_hasStableFieldNames() throws Exception {
        JsonNode json = new ObjectMapper().readTree(report.json());
        assertThat(json.fieldNames())
                .toIterable()
                .containsExactly(
                        "dataset_drift",
                        "drifted_columns",
                        "evaluated_columns",
                        "drift_share",
                        "share_threshold",
                        "columns");
        JsonNode income = json.get("columns").get(0);
        assertThat(income.fieldNames())
                .toIterable()
                .containsExactly(
                        "name",
                        "type",
                        "method",
                        "statistic",
                        "p_value",
                        "threshold",
                        "drifted",
                        "skipped",
                        "rank_error",
                        "reference",
                        "current",
                        "histogram");
        assertThat(income.get("name").asText()).isEqualTo("income");
        assertThat(income.get("method").asText()).isEqualTo("ks");
        assertThat(income.get("drifted").asBoolean()).isTrue();
        assertThat(income.get("reference").get("values").asLong()).isEqualTo(400);
        assertThat(income.get("histogram").get("bins")).hasSize(20);
        assertThat(json.get("columns").get(2).get("name").asText()).isEqualTo(HOSTILE);
    }

    @Test
    void html_isSelfContained_wellFormed_escaped_andMarksDriftedColumns() throws Exception {
        String html = report.html("Drift of <loan-risk>");
        assertThat(html)
                .doesNotContain("<script", "http://", "https://", "<link", "src=")
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;");
        // the page is well-formed XML (a strict parse of the whole page, SVG included)
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        Document page = factory.newDocumentBuilder().parse(new InputSource(new StringReader(html)));
        NodeList rows = page.getElementsByTagName("tr");
        assertThat(rows.getLength()).isEqualTo(1 + report.columns().size());
        for (int i = 0; i < report.columns().size(); i++) {
            DriftReport.ColumnDrift c = report.columns().get(i);
            Element row = (Element) rows.item(i + 1);
            assertThat(row.getAttribute("data-column")).isEqualTo(c.name());
            assertThat(row.getAttribute("class")).isEqualTo(c.drifted() ? "drift" : "stable");
        }
        NodeList charts = page.getElementsByTagName("svg");
        assertThat(charts.getLength()).isGreaterThanOrEqualTo(report.columns().size());
        assertThat(page.getElementsByTagName("title").item(0).getTextContent()).isEqualTo("Drift of <loan-risk>");
        Element verdict = (Element) page.getElementsByTagName("p").item(0);
        assertThat(verdict.getAttribute("id")).isEqualTo("verdict");
        assertThat(verdict.getTextContent()).startsWith("Dataset drift: " + (report.datasetDrift() ? "yes" : "no"));
    }
}
