package dev.airlock.provider;

/** A model that scores a row of named features, e.g. a credit risk model exported to ONNX. */
public interface TabularModel extends Provider {
    /**
     * Scores one row.
     *
     * @throws dev.airlock.decision.Stop.Stopped with status 400 naming the feature when a value is missing,
     *     of the wrong type or out of the model's vocabulary
     * @throws ProviderException when the model fails to run
     */
    Prediction predict(PredictRequest request);
}
