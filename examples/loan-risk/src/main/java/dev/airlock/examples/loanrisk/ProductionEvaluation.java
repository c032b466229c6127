package dev.airlock.examples.loanrisk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.decision.Stop;
import dev.airlock.models.OnnxTabularModel;
import dev.airlock.provider.PredictRequest;
import dev.airlock.provider.Prediction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scores rows through the served model exactly as production would send them (raw strings, the schema's cleaning
 * rules, 400s for what cannot be used) and measures what comes back against the outcomes seen since.
 */
final class ProductionEvaluation {
    private ProductionEvaluation() {}

    /** What scoring a set of rows through the runtime showed. */
    record Result(
            int rows,
            int scored,
            Map<String, Integer> rejectedByParam,
            Map<String, Integer> unknownCategories,
            double auc,
            double logLoss,
            double defaultRate,
            double meanProbability,
            double oracleAuc,
            double[] probabilities) {

        ObjectNode toJson(ObjectMapper json) {
            ObjectNode node = json.createObjectNode();
            node.put("rows", rows);
            node.put("scored", scored);
            ObjectNode rejected = node.putObject("rejected");
            rejectedByParam.forEach(rejected::put);
            ObjectNode unknown = node.putObject("unknownCategories");
            unknownCategories.forEach(unknown::put);
            node.put("auc", SchemaWriter.round4(auc));
            node.put("logLoss", SchemaWriter.round4(logLoss));
            node.put("defaultRate", SchemaWriter.round4(defaultRate));
            node.put("meanProbability", SchemaWriter.round4(meanProbability));
            node.put("oracleAuc", SchemaWriter.round4(oracleAuc));
            return node;
        }
    }

    /**
     * @param rows raw rows, with the application id and the observed outcome
     * @param trueProbabilities the latent process's probability per row, for the oracle AUC
     */
    static Result score(OnnxTabularModel model, List<Map<String, String>> rows, double[] trueProbabilities) {
        List<Double> probabilities = new ArrayList<>();
        List<Double> oracle = new ArrayList<>();
        List<Boolean> outcomes = new ArrayList<>();
        Map<String, Integer> rejected = new TreeMap<>();
        Map<String, Integer> unknown = new TreeMap<>();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> features = new LinkedHashMap<>(rows.get(i));
            features.remove(ApplicationRows.ID);
            boolean defaulted = features.remove(ApplicationRows.LABEL).equals("1");
            try {
                Prediction prediction = model.predict(new PredictRequest(model.name(), features));
                probabilities.add(prediction.probabilities().get("default"));
                oracle.add(trueProbabilities[i]);
                outcomes.add(defaulted);
                prediction.contributions().stream()
                        .filter(c -> c.value().equals("(unknown)"))
                        .forEach(c -> unknown.merge(c.feature(), 1, Integer::sum));
            } catch (Stop.Stopped e) {
                rejected.merge(e.stop().param(), 1, Integer::sum);
            }
        }
        double[] p = probabilities.stream().mapToDouble(Double::doubleValue).toArray();
        double[] q = oracle.stream().mapToDouble(Double::doubleValue).toArray();
        boolean[] y = new boolean[outcomes.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = outcomes.get(i);
        }
        return new Result(
                rows.size(),
                p.length,
                rejected,
                unknown,
                Metrics.auc(p, y),
                Metrics.logLoss(p, y),
                Metrics.rate(y),
                Metrics.mean(p),
                Metrics.auc(q, y),
                p);
    }
}
