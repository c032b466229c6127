package dev.airlock.monitor.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.datasketches.kll.KllDoublesSketch;

/** The SciPy fixtures (eval/drift/make_fixtures.py) as Java values. */
final class Fixtures {

    private Fixtures() {}

    static JsonNode read(String resource) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/drift/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /drift/" + resource);
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> cases(String kind) {
        List<JsonNode> out = new ArrayList<>();
        read("fixtures.json").get("cases").forEach(c -> {
            if (c.get("kind").asText().equals(kind)) {
                out.add(c);
            }
        });
        return out;
    }

    static double[] numbers(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    static Map<String, Long> counts(JsonNode object) {
        Map<String, Long> out = new TreeMap<>();
        object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asLong()));
        return out;
    }

    static KllDoublesSketch sketch(double[] values) {
        KllDoublesSketch sketch = KllDoublesSketch.newHeapInstance();
        for (double v : values) {
            sketch.update(v);
        }
        return sketch;
    }
}
