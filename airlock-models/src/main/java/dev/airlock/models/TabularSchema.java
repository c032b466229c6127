package dev.airlock.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a tabular model's sidecar schema says: how to turn a feature map into the model's input vector and how to read
 * its outputs. Read by {@link SchemaReader}.
 *
 * @param name the model's name as its authors call it
 * @param version the model version, recorded in every Decision
 * @param onnxSha256 the SHA-256 of the ONNX file the schema belongs to, or null when the schema does not pin it
 * @param trainingDataSha256 the SHA-256 of the training data, or null when not declared
 * @param input the ONNX input name, float[N, width]
 * @param probabilityOutput the ONNX output holding the positive class's probability, float[N, 1]
 * @param contributionsOutput the ONNX output holding each encoded column's log-odds contribution, float[N, width]
 * @param positiveLabel the class the probability is for, e.g. {@code default}
 * @param negativeLabel the other class, e.g. {@code repay}
 * @param threshold the probability at or above which the positive label is predicted
 * @param missingTokens strings (trimmed, lower case) that mean "no value"
 * @param maxReasons how many reason codes a prediction carries at most
 * @param features the raw features, in input order
 */
record TabularSchema(
        String name,
        String version,
        @Nullable String onnxSha256,
        @Nullable String trainingDataSha256,
        String input,
        String probabilityOutput,
        String contributionsOutput,
        String positiveLabel,
        String negativeLabel,
        double threshold,
        Set<String> missingTokens,
        int maxReasons,
        List<InputFeature> features) {

    TabularSchema {
        missingTokens = Set.copyOf(missingTokens);
        features = List.copyOf(features);
    }

    /** The width of the encoded input vector. */
    int width() {
        InputFeature last = features.getLast();
        return last.offset() + last.width();
    }

    /** The encoded columns' names, in input order: {@code name} or {@code name=category}. */
    List<String> columns() {
        List<String> columns = new ArrayList<>();
        features.forEach(f -> columns.addAll(f.columns()));
        return columns;
    }
}
