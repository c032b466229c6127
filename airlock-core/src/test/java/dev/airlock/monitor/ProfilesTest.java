package dev.airlock.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.audit.AdminAction;
import dev.airlock.audit.AdminEvents;
import dev.airlock.audit.AuditEvent;
import dev.airlock.decision.RequestKind;
import dev.airlock.provider.PredictRequest;
import dev.airlock.provider.Prediction;
import dev.airlock.provider.TabularModel;
import dev.airlock.registry.ModelCatalog;
import dev.airlock.registry.ModelSpec;
import dev.airlock.time.FakeTime;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfilesTest {
    /** The loan-risk example's training data: 20,000 rows, its features, and a 0/1 {@code default} label. */
    private static final Path TRAIN = Path.of("../examples/loan-risk/data/train.csv");

    private static final Map<String, ColumnKind> LOAN_FEATURES = Map.ofEntries(
            Map.entry("annual_income", ColumnKind.NUMERIC),
            Map.entry("debt_to_income", ColumnKind.NUMERIC),
            Map.entry("employment_years", ColumnKind.NUMERIC),
            Map.entry("loan_amount", ColumnKind.NUMERIC),
            Map.entry("loan_term_months", ColumnKind.NUMERIC),
            Map.entry("credit_history_years", ColumnKind.NUMERIC),
            Map.entry("delinquencies_2y", ColumnKind.NUMERIC),
            Map.entry("open_credit_lines", ColumnKind.NUMERIC),
            Map.entry("home_ownership", ColumnKind.CATEGORICAL),
            Map.entry("purpose", ColumnKind.CATEGORICAL),
            Map.entry("region", ColumnKind.CATEGORICAL));
    private static final ProfileSpec LOANS = new ProfileSpec(
            RequestKind.PREDICT, LOAN_FEATURES, "default", "repay", ProfileSpec.DEFAULT_MISSING, Duration.ofHours(1));

    private final FakeTime time = new FakeTime();
    private final InMemoryProfileStore store = new InMemoryProfileStore();
    private final List<AuditEvent> audited = new ArrayList<>();
    private final AdminEvents audit = (action, tenant, actor, target, details) -> {
        var e = new AuditEvent(
                "e" + audited.size(), time.clock().instant(), tenant, actor, action.id(), target, details);
        audited.add(e);
        return e;
    };
    private final Profiler profiler = new Profiler(store, "node", (model, version, kind) -> LOANS);
    private final Profiles profiles = new Profiles(store, profiler, catalog(), audit, time.clock());

    @Test
    void aReferenceFromTrainingData_profilesEveryFeature_andTheLabelAsThePredictedClass() throws Exception {
        var put = profiles.putReference("loan-risk", "1.0.0", new StringReader(Files.readString(TRAIN)), "key:admin");

        var stored = (Profiles.Stored) put;
        Profile ref = profiles.reference("loan-risk", "1.0.0").orElseThrow();
        assertThat(stored.rows()).isEqualTo(20_000);
        assertThat(stored.label()).isEqualTo("default");
        assertThat(stored.ignored()).containsExactly("application_id");
        assertThat(ref.count()).isEqualTo(20_000);
        assertThat(ref.inputs()).containsOnlyKeys(LOAN_FEATURES.keySet());
        assertThat(ref.inputs().get("annual_income").count()).isEqualTo(20_000);
        assertThat(((CategoricalColumn) ref.inputs().get("region")).counts())
                .containsOnlyKeys("north", "south", "east", "west");
        var classes = ((CategoricalColumn) ref.outputs().get("predicted_class")).counts();
        assertThat(classes).containsOnlyKeys("default", "repay");
        assertThat(classes.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(20_000);
        assertThat(audited).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo(AdminAction.PROFILE_REFERENCE_PUT.id());
            assertThat(e.target()).isEqualTo("loan-risk@1.0.0");
            assertThat(e.details()).containsEntry("rows", "20000").containsEntry("label", "default");
        });
    }

    @Test
    void aBadCsv_isRefusedNamingTheLine_andNothingIsStoredOrAudited() {
        var put = profiles.putReference(
                "loan-risk", "1.0.0", new StringReader("annual_income,region\n1000,north\n2000\n"), "key:admin");

        assertThat(put).isInstanceOf(Profiles.Invalid.class);
        assertThat(((Profiles.Invalid) put).message()).isEqualTo("line 3: expected 2 fields as in the header, found 1");
        assertThat(profiles.reference("loan-risk", "1.0.0")).isEmpty();
        assertThat(audited).isEmpty();
        assertThat(profiles.putReference("loan-risk", "1.0.0", new StringReader("a,b\n1,2\n"), "k"))
                .isInstanceOfSatisfying(
                        Profiles.Invalid.class,
                        i -> assertThat(i.message()).startsWith("line 1: no column is a feature"));
    }

    @Test
    void unknownModelsAndVersions_areNamed() {
        assertThat(profiles.read("nope", null, Duration.ZERO)).isEqualTo(new Profiles.UnknownModel("nope"));
        assertThat(profiles.putReference("loan-risk", "9", new StringReader("x\n1\n"), "k"))
                .isEqualTo(new Profiles.UnknownVersion("loan-risk", "9", List.of("1.0.0")));
    }

    @Test
    void aReferenceDeclaredInConfiguration_doesNotReplaceOnePutByAnOperator() {
        profiles.putReference("loan-risk", "1.0.0", new StringReader("region\nnorth\n"), "key:admin");

        assertThat(profiles.ensureReference("loan-risk", "1.0.0", "region\nsouth\nsouth\n"))
                .isEmpty();
        assertThat(profiles.reference("loan-risk", "1.0.0").orElseThrow().count())
                .isEqualTo(1);
    }

    @Test
    void read_mergesTheStoreWithWhatThisNodeHasNotFlushed() {
        var at = time.clock().instant();
        profiler.observe(
                Calls.decision("loan-risk", "1.0.0", at), Calls.request("loan-risk", Map.of("region", "north")), null);
        profiler.flush();
        profiler.observe(
                Calls.decision("loan-risk", "1.0.0", at),
                Calls.request("loan-risk", Map.of("region", "south", "colour", "red")),
                null);

        var found = (Profiles.Found) profiles.read("loan-risk", null, Duration.ZERO);

        Profile p = found.profiles().getFirst();
        assertThat(p.count()).isEqualTo(2);
        assertThat(p.unknownFieldNames()).containsExactly(Map.entry("colour", 1L));
        assertThat(p.missingFields()).isEqualTo(2 * 10);
    }

    private static ModelCatalog catalog() {
        TabularModel model = new TabularModel() {
            @Override
            public String name() {
                return "onnx";
            }

            @Override
            public Prediction predict(PredictRequest request) {
                throw new UnsupportedOperationException("not called");
            }
        };
        return ModelCatalog.builder()
                .add(new ModelSpec("loan-risk", RequestKind.PREDICT, "1.0.0", "onnx", "loan-risk", "", "", null), model)
                .build();
    }
}
