package dev.airlock.examples.loanrisk;

import ai.onnx.proto.OnnxMl;
import java.util.List;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;

/**
 * Writes a {@link LogisticModel} as an ONNX graph (opset 13) over the encoded input {@code features} float[N, F]:
 *
 * <pre>
 * contributions = features * weights                      float[N, F]  (log-odds per encoded column)
 * probability   = sigmoid(features @ weights + intercept) float[N, 1]  (probability of default)
 * </pre>
 *
 * Nothing in the output depends on the clock or the machine, so the same model gives the same bytes.
 */
final class OnnxExport {
    static final String INPUT = "features";
    static final String PROBABILITY = "probability";
    static final String CONTRIBUTIONS = "contributions";
    private static final long IR_VERSION = 8;

    private OnnxExport() {}

    static byte[] toBytes(LogisticModel model, String name, String version, String description) {
        double[] weights = model.weights();
        int width = weights.length;
        ONNXContext context = new ONNXContext();
        context.setName(name.replace('-', '_'));
        ONNXPlaceholder features = context.floatInput(INPUT, width);
        ONNXPlaceholder probability = context.floatOutput(PROBABILITY, 1);
        ONNXPlaceholder contributions = context.floatOutput(CONTRIBUTIONS, width);

        ONNXInitializer weightRow = context.array("weights", weights);
        ONNXInitializer weightColumn = context.floatTensor("weights_column", List.of(width, 1), buffer -> {
            for (double w : weights) {
                buffer.put((float) w);
            }
        });
        ONNXInitializer intercept = context.array("intercept", new double[] {model.intercept()});

        features.apply(ONNXOperators.MUL, weightRow).assignTo(contributions);
        context.operation(ONNXOperators.GEMM, List.of(features, weightColumn, intercept), "logit")
                .apply(ONNXOperators.SIGMOID)
                .assignTo(probability);

        return OnnxMl.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("airlock-example-loan-risk")
                .setProducerVersion(version)
                .setDomain("dev.airlock.examples")
                .setModelVersion(1)
                .setDocString(description)
                .addOpsetImport(ONNXOperators.getOpsetProto())
                .addMetadataProps(entry("name", name))
                .addMetadataProps(entry("version", version))
                .setGraph(context.buildGraph())
                .build()
                .toByteArray();
    }

    private static OnnxMl.StringStringEntryProto entry(String key, String value) {
        return OnnxMl.StringStringEntryProto.newBuilder()
                .setKey(key)
                .setValue(value)
                .build();
    }
}
