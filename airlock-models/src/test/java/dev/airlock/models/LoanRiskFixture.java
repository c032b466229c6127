package dev.airlock.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The loan-risk example's model (v1.0.0), copied into test resources: a real ONNX graph with a real schema. Tests
 * copy it into a temporary directory so they can also break it.
 */
final class LoanRiskFixture {
    static final String ONNX = "loan-risk.onnx";
    static final String SCHEMA = "loan-risk.schema.json";

    private LoanRiskFixture() {}

    /** Copies the model and its schema into {@code dir}; returns the .onnx path. */
    static Path copyTo(Path dir) {
        for (String file : new String[] {ONNX, SCHEMA}) {
            try (InputStream in = LoanRiskFixture.class.getResourceAsStream("/tabular/" + file)) {
                Files.copy(in, dir.resolve(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir.resolve(ONNX);
    }

    /** Low income, high debt, a large long loan, recent delinquencies, a short history. */
    static Map<String, Object> riskyApplicant() {
        return applicant(22_000, 0.52, 0, 30_000, 60, 1, 3, 20, "rent", "small_business", "south");
    }

    /** Good income, low debt, a small short loan, a long clean history. */
    static Map<String, Object> safeApplicant() {
        return applicant(140_000, 0.08, 15, 4_000, 36, 22, 0, 6, "own", "car", "west");
    }

    static Map<String, Object> averageApplicant() {
        return applicant(58_000, 0.27, 5, 12_000, 36, 8, 0, 8, "mortgage", "debt_consolidation", "north");
    }

    static Map<String, Object> applicant(
            Object income,
            Object dti,
            Object employment,
            Object amount,
            Object term,
            Object history,
            Object delinquencies,
            Object openLines,
            Object home,
            Object purpose,
            Object region) {
        Map<String, Object> features = new HashMap<>();
        features.put("annual_income", income);
        features.put("debt_to_income", dti);
        features.put("employment_years", employment);
        features.put("loan_amount", amount);
        features.put("loan_term_months", term);
        features.put("credit_history_years", history);
        features.put("delinquencies_2y", delinquencies);
        features.put("open_credit_lines", openLines);
        features.put("home_ownership", home);
        features.put("purpose", purpose);
        features.put("region", region);
        return features;
    }

    static Map<String, Object> with(Map<String, Object> features, String name, Object value) {
        Map<String, Object> copy = new HashMap<>(features);
        copy.put(name, value);
        return copy;
    }

    static Map<String, Object> without(Map<String, Object> features, String name) {
        Map<String, Object> copy = new HashMap<>(features);
        copy.remove(name);
        return copy;
    }
}
