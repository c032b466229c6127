package dev.airlock.models;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.airlock.decision.Stop;
import dev.airlock.pipeline.Invoke;
import dev.airlock.provider.PredictRequest;
import dev.airlock.provider.Prediction;
import dev.airlock.provider.Prediction.Contribution;
import dev.airlock.provider.ProviderException;
import dev.airlock.provider.TabularModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A tabular model exported to ONNX, run in-process by ONNX Runtime, with a sidecar schema that says how to encode a
 * feature map and how to explain the answer. Nothing here knows what the model is about; the schema says it all.
 *
 * <p>The ONNX graph takes the encoded row as {@code float[N, F]} and gives the positive class's probability as
 * {@code float[N, 1]} and each encoded column's log-odds contribution as {@code float[N, F]}. Contributions are summed
 * back per raw feature (one-hot columns together); with the {@linkplain #baselineLogOdds() baseline} they add up to
 * the log-odds of the returned probability.
 *
 * <pre>{@code
 * try (OnnxTabularModel model = OnnxTabularModel.load("loan-risk", Path.of("model/loan-risk.onnx"))) {
 *     Prediction p = model.predict(new PredictRequest("loan-risk", Map.of(
 *             "annual_income", "52,000", "debt_to_income", 0.41, "home_ownership", "Rent")));
 *     p.label();        // "default" or "repay"
 *     p.reasons();      // e.g. [DEBT_TO_INCOME_HIGH, INCOME_LOW]
 * }
 * }</pre>
 *
 * <p>Thread-safe: one ONNX Runtime session, created at load, serves every caller.
 */
public final class OnnxTabularModel implements TabularModel, AutoCloseable {
    private static final String SCHEMA_SUFFIX = ".schema.json";

    private final String name;
    private final TabularSchema schema;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final double baselineLogOdds;
    private final Set<String> knownNames;

    private OnnxTabularModel(String name, TabularSchema schema, OrtEnvironment environment, OrtSession session) {
        this.name = name;
        this.schema = schema;
        this.environment = environment;
        this.session = session;
        this.knownNames = Set.copyOf(featureNames());
        this.baselineLogOdds = logit(run(new float[schema.width()]).probability());
    }

    /**
     * Loads {@code onnxFile} and its sidecar schema {@code <basename>.schema.json} from the same directory.
     *
     * @param name the name this model is served under
     * @throws IllegalArgumentException when either file is missing or invalid, naming the file and the field
     */
    public static OnnxTabularModel load(String name, Path onnxFile) {
        String fileName = onnxFile.getFileName().toString();
        if (!fileName.endsWith(".onnx")) {
            throw new IllegalArgumentException("model '" + name + "': expected an .onnx file, got " + onnxFile);
        }
        if (!Files.isRegularFile(onnxFile)) {
            throw new IllegalArgumentException("model '" + name + "': ONNX file not found: " + onnxFile);
        }
        Path schemaFile = onnxFile.resolveSibling(fileName.substring(0, fileName.length() - 5) + SCHEMA_SUFFIX);
        TabularSchema schema = SchemaReader.read(schemaFile);
        byte[] bytes = readAll(onnxFile);
        checkDigest(schemaFile, schema, onnxFile, bytes);
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        OrtSession session = openSession(environment, onnxFile, bytes);
        try {
            checkSignature(session, schema, onnxFile, schemaFile);
            return new OnnxTabularModel(name, schema, environment, session);
        } catch (RuntimeException e) {
            closeQuietly(session, e);
            throw e;
        }
    }

    /** The version the sidecar schema of {@code onnxFile} declares, read without loading the model. */
    public static String declaredVersion(Path onnxFile) {
        String fileName = onnxFile.getFileName().toString();
        String base = fileName.endsWith(".onnx") ? fileName.substring(0, fileName.length() - 5) : fileName;
        return SchemaReader.read(onnxFile.resolveSibling(base + SCHEMA_SUFFIX)).version();
    }

    @Override
    public String name() {
        return name;
    }

    /** The model version the schema declares. */
    @Override
    public String version() {
        return schema.version();
    }

    /**
     * The log-odds of the positive class when every encoded column is zero: the average applicant for standardised
     * numbers, no category for one-hot groups. A prediction's contributions plus this baseline make its log-odds.
     */
    public double baselineLogOdds() {
        return baselineLogOdds;
    }

    /** The raw feature names, in input order. */
    public List<String> featureNames() {
        return schema.features().stream().map(InputFeature::name).toList();
    }

    /**
     * Each raw feature's name, in input order, and whether the schema declares it numeric (else categorical): what
     * monitoring profiles each feature as.
     */
    public Map<String, Boolean> numericFeatures() {
        Map<String, Boolean> out = new LinkedHashMap<>();
        schema.features().forEach(f -> out.put(f.name(), f instanceof NumericInput));
        return out;
    }

    /** The class whose probability the model gives, e.g. {@code default}. */
    public String positiveLabel() {
        return schema.positiveLabel();
    }

    /** The other class, e.g. {@code repay}. */
    public String negativeLabel() {
        return schema.negativeLabel();
    }

    /** Strings (trimmed, lower case) the schema reads as "no value". */
    public Set<String> missingTokens() {
        return schema.missingTokens();
    }

    /** The SHA-256 of the training data, when the schema declares it. */
    public Optional<String> trainingDataSha256() {
        return Optional.ofNullable(schema.trainingDataSha256());
    }

    @Override
    public Prediction predict(PredictRequest request) {
        rejectUnknownFeatures(request.features());
        float[] row = new float[schema.width()];
        List<InputFeature.Used> used = new ArrayList<>(schema.features().size());
        for (InputFeature feature : schema.features()) {
            used.add(feature.encode(request.features().get(feature.name()), row, schema.missingTokens()));
        }
        Output output = run(row);
        return explain(output, used);
    }

    private Prediction explain(Output output, List<InputFeature.Used> used) {
        List<Contribution> contributions = new ArrayList<>();
        for (int i = 0; i < schema.features().size(); i++) {
            InputFeature feature = schema.features().get(i);
            double sum = 0;
            for (int c = feature.offset(); c < feature.offset() + feature.width(); c++) {
                sum += output.contributions()[c];
            }
            InputFeature.Used u = used.get(i);
            contributions.add(new Contribution(feature.name(), u.value(), sum, u.reasonCode()));
        }
        contributions.sort(Comparator.comparingDouble((Contribution c) -> -Math.abs(c.contribution())));
        double p = output.probability();
        return new Prediction(
                p >= schema.threshold() ? schema.positiveLabel() : schema.negativeLabel(),
                Map.of(schema.positiveLabel(), p, schema.negativeLabel(), 1 - p),
                contributions,
                reasons(contributions));
    }

    /** The codes of the features that pushed hardest towards the positive class, strongest first. */
    private List<String> reasons(List<Contribution> sorted) {
        Set<String> reasons = new LinkedHashSet<>();
        sorted.stream()
                .filter(c -> c.contribution() > 0 && c.reasonCode() != null)
                .sorted(Comparator.comparingDouble((Contribution c) -> -c.contribution()))
                .forEach(c -> reasons.add(c.reasonCode()));
        return reasons.stream().limit(schema.maxReasons()).toList();
    }

    private void rejectUnknownFeatures(Map<String, Object> features) {
        List<String> unknown = features.keySet().stream()
                .filter(key -> !knownNames.contains(key))
                .toList();
        if (!unknown.isEmpty()) {
            String message = "features: model '" + name + "' has no feature" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown.stream().map(u -> "'" + u + "'").toList()) + "; it takes "
                    + String.join(", ", featureNames());
            throw Stop.invalid(Invoke.STAGE, "features." + unknown.getFirst(), message)
                    .toException();
        }
    }

    private record Output(double probability, float[] contributions) {}

    private Output run(float[] row) {
        long[] shape = {1, row.length};
        try (OnnxTensor input = OnnxTensor.createTensor(environment, FloatBuffer.wrap(row), shape);
                OrtSession.Result result = session.run(
                        Map.of(schema.input(), input),
                        Set.of(schema.probabilityOutput(), schema.contributionsOutput()))) {
            float[][] probability = (float[][]) value(result, schema.probabilityOutput());
            float[][] contributions = (float[][]) value(result, schema.contributionsOutput());
            return new Output(probability[0][0], contributions[0]);
        } catch (OrtException | RuntimeException e) {
            throw new ProviderException(
                    ProviderException.Kind.INTERNAL, "model '" + name + "' failed to run: " + e.getMessage(), e);
        }
    }

    private static Object value(OrtSession.Result result, String output) throws OrtException {
        Optional<OnnxValue> value = result.get(output);
        if (value.isEmpty()) {
            throw new IllegalStateException("the model gave no output '" + output + "'");
        }
        return value.get().getValue();
    }

    private static double logit(double p) {
        return Math.log(p / (1 - p));
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("model '" + name + "': cannot close its ONNX session", e);
        }
    }

    private static OrtSession openSession(OrtEnvironment environment, Path onnxFile, byte[] bytes) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // the graphs are tiny: threads would cost more than they save, and callers already run in parallel
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            return environment.createSession(bytes, options);
        } catch (OrtException e) {
            throw new IllegalArgumentException(onnxFile + ": ONNX Runtime cannot load it: " + e.getMessage(), e);
        }
    }

    private static void checkSignature(OrtSession session, TabularSchema schema, Path onnxFile, Path schemaFile) {
        try {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            expectTensor(inputs, schema.input(), schema.width(), onnxFile, schemaFile, "onnx.input");
            expectTensor(outputs, schema.probabilityOutput(), 1, onnxFile, schemaFile, "onnx.probability");
            expectTensor(
                    outputs, schema.contributionsOutput(), schema.width(), onnxFile, schemaFile, "onnx.contributions");
        } catch (OrtException e) {
            throw new IllegalArgumentException(onnxFile + ": cannot read its inputs and outputs: " + e.getMessage(), e);
        }
    }

    private static void expectTensor(
            Map<String, NodeInfo> nodes, String nodeName, int width, Path onnxFile, Path schemaFile, String field) {
        NodeInfo node = nodes.get(nodeName);
        if (node == null) {
            throw new IllegalArgumentException(schemaFile + ": " + field + ": " + onnxFile.getFileName() + " has no '"
                    + nodeName + "'; it has " + nodes.keySet());
        }
        if (!(node.getInfo() instanceof TensorInfo tensor)
                || tensor.getShape().length != 2
                || tensor.getShape()[1] >= 0 && tensor.getShape()[1] != width) {
            throw new IllegalArgumentException(
                    schemaFile + ": " + field + ": expected '" + nodeName + "' to be float[N, " + width
                            + "] as the features declare, but " + onnxFile.getFileName() + " says " + node.getInfo());
        }
    }

    private static void checkDigest(Path schemaFile, TabularSchema schema, Path onnxFile, byte[] bytes) {
        if (schema.onnxSha256() == null) {
            return;
        }
        String actual = sha256(bytes);
        if (!actual.equalsIgnoreCase(schema.onnxSha256())) {
            throw new IllegalArgumentException(schemaFile + ": onnx.sha256: the schema is for a model hashing to "
                    + schema.onnxSha256() + ", but " + onnxFile.getFileName() + " hashes to " + actual);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static void closeQuietly(OrtSession session, RuntimeException cause) {
        try {
            session.close();
        } catch (OrtException e) {
            cause.addSuppressed(e);
        }
    }
}
