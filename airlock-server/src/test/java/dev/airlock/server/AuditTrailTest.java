package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.audit.AuditEvent;
import dev.airlock.audit.ChainLink;
import dev.airlock.audit.ChainVerifier;
import dev.airlock.audit.SigningKey;
import dev.airlock.server.json.ConsistencyJson;
import dev.airlock.server.json.ProofJson;
import dev.airlock.store.Store;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The audit trail as a caller and an auditor meet it over HTTP: kept content, inclusion proofs against signed
 * checkpoints, search by data subject, erasure, and the events that administrative actions leave.
 */
class AuditTrailTest extends NodeTest {
    private static final String CHAT = "/v1/chat/completions";

    private String chat(String model, String subject, String text) {
        HttpRequest.Builder request = node.request(CHAT, TestNode.APP_KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model
                        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}"));
        if (subject != null) {
            request.header("Airlock-Subject", subject);
        }
        HttpResponse<String> response = node.send(request.build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.headers().firstValue("x-airlock-decision-id").orElseThrow();
    }

    private JsonNode decision(String id) {
        HttpResponse<String> response = node.get("/v1/decisions/" + id, TestNode.AUDITOR_KEY);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestNode.json(response);
    }

    /** The Decision once a signed checkpoint covers it (the node signs one within about a second). */
    private JsonNode decisionWithProof(String id) {
        return Awaitility.await("a signed checkpoint covering " + id)
                .atMost(Duration.ofSeconds(15))
                .until(() -> decision(id), d -> !d.path("audit").path("proof").isNull());
    }

    @Test
    void aModelThatKeepsContent_recordsInputAndOutput_untilItsRetentionRunsOut() {
        String id = chat("kept-assistant", null, "what is my credit limit?");

        JsonNode content = decision(id).path("content");

        assertThat(content.path("state").asText()).isEqualTo("kept");
        assertThat(content.path("input").asText()).isEqualTo("user: what is my credit limit?\n");
        assertThat(content.path("output").asText()).isEqualTo("echo: what is my credit limit?");
        assertThat(Instant.parse(content.path("keep_until").asText()))
                .isBetween(
                        Instant.now().plus(Duration.ofMinutes(59)),
                        Instant.now().plus(Duration.ofMinutes(61)));
    }

    @Test
    void aPredictionsRecord_carriesTheReasonCodesTheCallerGot() {
        HttpResponse<String> response = node.post(
                "/v1/models/loan-risk/predict",
                TestNode.APP_KEY,
                "{\"features\":{\"annual_income\":38000,\"loan_amount\":22000,\"debt_to_income\":0.46}}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = TestNode.json(response);

        JsonNode recorded = decision(answer.path("decision_id").asText());

        assertThat(recorded.path("reasons")).isNotEmpty().isEqualTo(answer.path("reasons"));
    }

    @Test
    void aModelWithDigestsOnly_keepsNoContent() {
        String id = chat("assistant", "customer-1", "hello");

        JsonNode d = decision(id);

        assertThat(d.path("content").isNull()).isTrue();
        assertThat(d.path("input_sha256").asText()).hasSize(64);
    }

    @Test
    void everyDecision_comesWithAnInclusionProofThatChecksOutOffline() throws Exception {
        String id = chat("assistant", null, "prove it");

        JsonNode d = decisionWithProof(id);
        JsonNode proof = d.path("audit").path("proof");

        assertThat(proof.isObject())
                .as("a checkpoint covers the decision within seconds: " + d)
                .isTrue();
        assertThat(proof.path("record_id").asText()).isEqualTo(id);
        assertThat(proof.path("seq").asLong())
                .isEqualTo(d.path("audit").path("seq").asLong());
        SigningKey published;
        try (Store store = node.openStore()) {
            published = store.auditChain().signingKeys().getLast();
        }
        // read back from the JSON alone and checked against the key the store publishes
        assertThat(ProofJson.read(d).check(published.decode())).isEmpty();
        var tampered = (ObjectNode) proof.deepCopy();
        tampered.put("seq", proof.path("seq").asLong() + 1);
        assertThat(ProofJson.read(tampered).check(published.decode())).isPresent();
    }

    @Test
    void anAuditorWhoKeptACheckpoint_getsAProofThatTheLogOnlyGrewSince() throws Exception {
        JsonNode first = decisionWithProof(chat("assistant", null, "first"))
                .path("audit")
                .path("proof");
        long kept = first.path("checkpoint").path("tree_size").asLong();
        String keptRoot = first.path("checkpoint").path("root").asText();
        String later = chat("assistant", null, "later");
        long newer = decisionWithProof(later)
                .path("audit")
                .path("proof")
                .path("checkpoint")
                .path("tree_size")
                .asLong();
        assertThat(newer).isGreaterThan(kept);

        HttpResponse<String> response =
                node.get("/v1/audit/consistency?from=" + kept + "&to=" + newer, TestNode.AUDITOR_KEY);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = TestNode.json(response);
        assertThat(body.path("format").asText()).isEqualTo("airlock.consistency-proof/1");
        assertThat(body.path("older").path("root").asText()).isEqualTo(keptRoot);
        SigningKey published;
        try (Store store = node.openStore()) {
            published = store.auditChain().signingKeys().getLast();
        }
        assertThat(ConsistencyJson.read(body).check(Map.of(published.keyId(), published.decode())))
                .isEmpty();
        var tampered = (ObjectNode) body.deepCopy();
        ((ObjectNode) tampered.path("older")).put("root", "ab".repeat(32));
        assertThat(ConsistencyJson.read(tampered).check(null)).isPresent();

        HttpResponse<String> unsigned = node.get("/v1/audit/consistency?from=" + (newer + 1000), TestNode.AUDITOR_KEY);
        assertThat(unsigned.statusCode()).isEqualTo(400);
        assertThat(unsigned.body()).contains("no signed checkpoint has tree size");
        assertThat(node.get("/v1/audit/consistency?from=x", TestNode.AUDITOR_KEY)
                        .statusCode())
                .isEqualTo(400);
        assertThat(node.get("/v1/audit/consistency?from=" + kept, TestNode.APP_KEY)
                        .statusCode())
                .as("an application key reads no audit")
                .isEqualTo(403);
    }

    @Test
    void decisionsCanBeFoundByDataSubject_withinTheTenantOnly() {
        String first = chat("kept-assistant", "customer-17", "one");
        chat("kept-assistant", "customer-18", "two");
        String third = chat("assistant", "customer-17", "three");

        HttpResponse<String> found = node.get("/v1/decisions?subject=customer-17", TestNode.AUDITOR_KEY);
        HttpResponse<String> otherTenant =
                node.get("/v1/decisions?subject=customer-17", TestNode.OTHER_TENANT_AUDITOR_KEY);

        List<String> ids = new ArrayList<>();
        TestNode.json(found).path("data").forEach(d -> ids.add(d.path("id").asText()));
        assertThat(ids).containsExactly(first, third);
        assertThat(TestNode.json(otherTenant).path("data")).isEmpty();
    }

    @Test
    void erasingASubject_makesTheirContentUnreadable_whileTheChainStillVerifies() {
        String erased = chat("kept-assistant", "customer-99", "my IBAN is DE89370400440532013000");
        String kept = chat("kept-assistant", "customer-100", "keep me");
        assertThat(decision(erased).path("content").path("input").asText()).contains("DE89370400440532013000");

        try (Store store = node.openStore()) {
            assertThat(store.erasure().eraseSubject("acme", "customer-99", "cli:dpo", Instant.now()))
                    .isEqualTo(1);
            assertThat(ChainVerifier.verify(store.auditChain())).isInstanceOf(ChainVerifier.Verification.Intact.class);
        }

        JsonNode content = decision(erased).path("content");
        assertThat(content.path("state").asText()).isEqualTo("erased");
        assertThat(content.path("input").isNull()).isTrue();
        assertThat(decision(kept).path("content").path("input").asText()).contains("keep me");
        HttpResponse<String> search = node.get("/v1/decisions?subject=customer-99", TestNode.AUDITOR_KEY);
        assertThat(TestNode.json(search).path("data")).isEmpty();
    }

    @Test
    void aSubjectHeaderThatIsNoId_is400() {
        HttpResponse<String> response = node.send(node.request(CHAT, TestNode.APP_KEY)
                .header("Airlock-Subject", "x".repeat(257))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"assistant\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(TestNode.json(response).path("error").path("param").asText()).isEqualTo("Airlock-Subject");
    }

    @Test
    void startingTheNode_auditedTheConfigurationAndTheKeysItCreated() {
        List<AuditEvent> events = new ArrayList<>();
        try (Store store = node.openStore()) {
            store.auditChain().forEachLink((ChainLink link) -> {
                if (link.record() instanceof AuditEvent e) {
                    events.add(e);
                }
            });
        }

        assertThat(events.getFirst().action()).isEqualTo("config.loaded");
        assertThat(events.getFirst().details().get("sha256")).hasSize(64);
        assertThat(events)
                .filteredOn(e -> e.action().equals("key.created"))
                .extracting(AuditEvent::target)
                .contains("app1", "audit1", "app2", "audit2", "oper1", "review1", "admin1");
        assertThat(events)
                .filteredOn(e -> e.target() != null && e.target().equals("app2"))
                .first()
                .satisfies(e -> {
                    assertThat(e.tenant()).isEqualTo("globex");
                    assertThat(e.details()).containsEntry("role", "app");
                });
    }
}
