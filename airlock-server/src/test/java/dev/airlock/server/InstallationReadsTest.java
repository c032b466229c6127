package dev.airlock.server;

import static dev.airlock.server.TestNode.AUDITOR_KEY;
import static dev.airlock.server.TestNode.OTHER_TENANT_AUDITOR_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Aggregates of a model's traffic (drift, profiles, accuracy with fairness and ROI) merge every tenant's calls, so
 * they are the installation's to read, like incidents and retraining: an auditor of another tenant is refused, an
 * auditor of the installation's tenant reads them.
 */
class InstallationReadsTest {
    private static final List<String> AGGREGATES = List.of(
            "/v1/admin/drift/loan-risk",
            "/v1/admin/profiles/loan-risk",
            "/v1/admin/profiles/loan-risk/versions/1.0.0/reference",
            "/v1/models/loan-risk/accuracy");

    @TempDir
    Path dir;

    private TestNode node;

    @BeforeEach
    void start() {
        node = TestNode.start(dir);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void anAuditorOfAnotherTenant_isRefusedEveryAggregate_namingWhoMay() {
        for (String path : AGGREGATES) {
            var refused = node.get(path, OTHER_TENANT_AUDITOR_KEY);

            assertThat(refused.statusCode()).as(path + ": " + refused.body()).isEqualTo(403);
            var body = TestNode.json(refused);
            assertThat(
                            body.has("detail")
                                    ? body.path("detail").asText()
                                    : body.at("/error/message").asText())
                    .as(path)
                    .startsWith("The key 'audit2' has role 'auditor', which may not read ")
                    .endsWith("of the installation's tenant ('acme').");
        }
    }

    @Test
    void anAuditorOfTheInstallationsTenant_readsThem() {
        for (String path : AGGREGATES) {
            var allowed = node.get(path, AUDITOR_KEY);

            assertThat(allowed.statusCode()).as(path + ": " + allowed.body()).isNotIn(401, 403);
        }
        assertThat(node.get("/v1/admin/profiles/loan-risk", AUDITOR_KEY).statusCode())
                .isEqualTo(200);
        assertThat(node.get("/v1/models/loan-risk/accuracy", AUDITOR_KEY).statusCode())
                .isEqualTo(200);
    }
}
