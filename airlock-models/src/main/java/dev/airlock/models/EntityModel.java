package dev.airlock.models;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.pii.EntityTagger;
import dev.airlock.pii.PiiDetector.Finding;
import dev.airlock.pii.PiiDetector.Type;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Finds people's names and street addresses with a token-classification head over the in-process all-MiniLM-L6-v2
 * model: each word piece's last hidden state (384 numbers, which carry the words around it) plus a few marks of its
 * word's shape that the uncased model cannot see (capital initial, all capitals, digits), through a softmax over
 * three classes (other, name, address). A word takes its first piece's class; neighbouring words of one class make a
 * finding. Trained by {@code airlock guard train-entities} on public named-entity sets and generated sentences (see
 * docs/guardrails.md); the bundled weights are {@code entity-tagger.json}. Texts longer than the model reads are read
 * in overlapping windows, so no text is too long.
 *
 * <pre>{@code
 * var found = new EntityModel().find("please call maría garcía at the office"); // a person_name finding
 * }</pre>
 */
public final class EntityModel implements EntityTagger {
    private static final String RESOURCE = "/dev/airlock/models/entity-tagger.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Class 0 is "neither"; class k > 0 is {@code TYPES[k - 1]}. */
    private static final Type[] TYPES = {Type.PERSON_NAME, Type.POSTAL_ADDRESS};

    private static final int CLASSES = TYPES.length + 1;
    /** Shape marks after the hidden state; see {@link #features}. */
    static final int SHAPES = 7;

    static final int FEATURES = MiniLmEmbeddings.DIMENSIONS + SHAPES;
    private static final int CACHED_TEXTS = 64;

    private volatile @Nullable Weights weights;
    private final Map<String, List<Finding>> recent = new LinkedHashMap<>(CACHED_TEXTS, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<Finding>> eldest) {
            return size() > CACHED_TEXTS;
        }
    };

    /** The bundled weights, loaded (with the MiniLM model) on first use. */
    public EntityModel() {}

    private EntityModel(Weights weights) {
        this.weights = weights;
    }

    /** A model with the weights of a file written by {@link #toJson()}. */
    public static EntityModel read(Path file) throws IOException {
        return new EntityModel(Weights.read(JSON.readTree(Files.readString(file))));
    }

    /** The weights, scaling and thresholds of the head. */
    record Weights(float[][] w, float[] b, float[] mean, float[] scale, double[] thresholds, String trainedOn) {
        static Weights read(JsonNode node) {
            float[][] w = new float[CLASSES][];
            for (int c = 0; c < w.length; c++) {
                w[c] = floats(node.path("weights").get(c));
            }
            double[] thresholds = new double[CLASSES];
            for (int c = 1; c < CLASSES; c++) {
                thresholds[c] = node.path("thresholds").path(TYPES[c - 1].id()).asDouble(0.5);
            }
            if (w[0].length != FEATURES) {
                throw new IllegalArgumentException("expected " + FEATURES + " weights per class, got " + w[0].length);
            }
            return new Weights(
                    w,
                    floats(node.path("bias")),
                    floats(node.path("mean")),
                    floats(node.path("scale")),
                    thresholds,
                    node.path("trained_on").asText());
        }

        private static float[] floats(JsonNode array) {
            float[] out = new float[array.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) array.get(i).asDouble();
            }
            return out;
        }

        /** Class probabilities of one word piece's features. */
        double[] probabilities(float[] x) {
            double[] z = new double[CLASSES];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < z.length; c++) {
                double s = b[c];
                float[] wc = w[c];
                for (int d = 0; d < x.length; d++) {
                    s += wc[d] * ((x[d] - mean[d]) * scale[d]);
                }
                z[c] = s;
                max = Math.max(max, s);
            }
            double sum = 0;
            for (int c = 0; c < z.length; c++) {
                z[c] = Math.exp(z[c] - max);
                sum += z[c];
            }
            for (int c = 0; c < z.length; c++) {
                z[c] /= sum;
            }
            return z;
        }
    }

    private Weights weights() {
        Weights loaded = weights;
        if (loaded == null) {
            try (InputStream in = EntityModel.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("the bundled entity model " + RESOURCE + " is missing");
                }
                loaded = Weights.read(JSON.readTree(in));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            weights = loaded;
        }
        return loaded;
    }

    @Override
    public List<Finding> find(String text) {
        if (text.isBlank()) {
            return List.of();
        }
        synchronized (recent) {
            List<Finding> known = recent.get(text);
            if (known != null) {
                return known;
            }
        }
        List<Finding> found = decode(text, Pieces.of(text), weights());
        synchronized (recent) {
            recent.put(text, found);
        }
        return found;
    }

    /** A text's word pieces with their features and the word each belongs to. */
    record Pieces(int[] starts, int[] ends, int[] word, float[][] features) {
        static Pieces of(String text) {
            MiniLmRuntime runtime = MiniLmRuntime.shared();
            MiniLmRuntime.Tokens tokens = runtime.tokens(text);
            int n = tokens.ids().length;
            int[] word = words(text, tokens);
            float[][] features = new float[n][];
            if (n == 0) {
                return new Pieces(tokens.starts(), tokens.ends(), word, features);
            }
            List<TokenWindows.Window> windows = TokenWindows.plan(n);
            List<long[]> ids = new ArrayList<>();
            for (TokenWindows.Window w : windows) {
                long[] part = new long[w.length()];
                System.arraycopy(tokens.ids(), w.from(), part, 0, part.length);
                ids.add(part);
            }
            float[][][] hidden = hidden(runtime, ids);
            for (int k = 0; k < windows.size(); k++) {
                TokenWindows.Window w = windows.get(k);
                // a piece read by two windows keeps the later one's state from half the overlap on: more context
                int from = k == 0 ? w.from() : w.from() + TokenWindows.OVERLAP / 2;
                for (int i = from; i < w.to(); i++) {
                    features[i] = pieceFeatures(text, tokens, word, i, hidden[k][i - w.from() + 1]);
                }
            }
            return new Pieces(tokens.starts(), tokens.ends(), word, features);
        }

        private static float[][][] hidden(MiniLmRuntime runtime, List<long[]> ids) {
            try {
                if (ids.size() == 1 || ids.getFirst().length == ids.getLast().length) {
                    return runtime.hiddenStates(ids);
                }
                float[][][] out = new float[ids.size()][][];
                for (int i = 0; i < ids.size(); i++) {
                    out[i] = runtime.hiddenStates(List.of(ids.get(i)))[0];
                }
                return out;
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime failed on " + MiniLmEmbeddings.MODEL, e);
            }
        }
    }

    /** The word index of each piece: a new word after a space, and at and after punctuation. */
    static int[] words(String text, MiniLmRuntime.Tokens tokens) {
        int n = tokens.ids().length;
        int[] word = new int[n];
        int current = -1;
        for (int i = 0; i < n; i++) {
            boolean joined = i > 0
                    && tokens.starts()[i] == tokens.ends()[i - 1]
                    && wordy(text, tokens.starts()[i])
                    && wordy(text, tokens.starts()[i - 1]);
            if (!joined) {
                current++;
            }
            word[i] = current;
        }
        return word;
    }

    private static boolean wordy(String text, int at) {
        return at < text.length() && Character.isLetterOrDigit(text.charAt(at));
    }

    /** The hidden state, then marks of the word's shape and its neighbours' capitals. */
    private static float[] pieceFeatures(String text, MiniLmRuntime.Tokens tokens, int[] word, int i, float[] state) {
        float[] x = new float[FEATURES];
        System.arraycopy(state, 0, x, 0, MiniLmEmbeddings.DIMENSIONS);
        int d = MiniLmEmbeddings.DIMENSIONS;
        String w = wordText(text, tokens, word, word[i]);
        x[d] = capitalised(w) ? 1 : 0;
        x[d + 1] = w.length() > 1 && w.equals(w.toUpperCase(Locale.ROOT)) && hasLetter(w) ? 1 : 0;
        x[d + 2] = w.chars().anyMatch(Character::isDigit) ? 1 : 0;
        x[d + 3] = i == 0 || word[i - 1] != word[i] ? 1 : 0;
        x[d + 4] = word[i] > 0 && capitalised(wordText(text, tokens, word, word[i] - 1)) ? 1 : 0;
        x[d + 5] = word[i] < word[word.length - 1] && capitalised(wordText(text, tokens, word, word[i] + 1)) ? 1 : 0;
        x[d + 6] = !w.isEmpty() && w.chars().allMatch(Character::isDigit) ? 1 : 0;
        return x;
    }

    private static String wordText(String text, MiniLmRuntime.Tokens tokens, int[] word, int index) {
        int start = -1;
        int end = -1;
        for (int i = 0; i < word.length; i++) {
            if (word[i] == index) {
                if (start < 0) {
                    start = tokens.starts()[i];
                }
                end = tokens.ends()[i];
            } else if (start >= 0) {
                break;
            }
        }
        return start < 0 ? "" : text.substring(start, Math.max(start, end));
    }

    private static boolean capitalised(String w) {
        return !w.isEmpty() && Character.isUpperCase(w.charAt(0));
    }

    private static boolean hasLetter(String w) {
        return w.chars().anyMatch(Character::isLetter);
    }

    /** Words take their first piece's class; neighbouring words of one class are one finding. */
    private static List<Finding> decode(String text, Pieces pieces, Weights weights) {
        int n = pieces.starts().length;
        List<Finding> out = new ArrayList<>();
        int spanClass = 0;
        int spanStart = -1;
        int spanEnd = -1;
        double confidence = 0;
        int counted = 0;
        for (int first = 0; first < n; ) {
            int last = first;
            while (last + 1 < n && pieces.word()[last + 1] == pieces.word()[first]) {
                last++;
            }
            double[] p = weights.probabilities(pieces.features()[first]);
            int c = 0;
            for (int k = 1; k < CLASSES; k++) {
                if (p[k] >= weights.thresholds()[k] && p[k] > p[c]) {
                    c = k;
                }
            }
            if (c != spanClass) {
                add(text, spanClass, spanStart, spanEnd, confidence / Math.max(1, counted), out);
                spanClass = c;
                spanStart = pieces.starts()[first];
                confidence = 0;
                counted = 0;
            }
            if (c != 0) {
                spanEnd = pieces.ends()[last];
                confidence += p[c];
                counted++;
            }
            first = last + 1;
        }
        add(text, spanClass, spanStart, spanEnd, confidence / Math.max(1, counted), out);
        return List.copyOf(out);
    }

    private static void add(String text, int c, int start, int end, double confidence, List<Finding> out) {
        if (c == 0 || start < 0 || end <= start) {
            return;
        }
        while (end > start && !Character.isLetterOrDigit(text.charAt(end - 1))) {
            end--;
        }
        String value = text.substring(start, end);
        boolean versionFollows = end + 1 < text.length()
                && (text.charAt(end) == '.' || text.charAt(end) == ':')
                && Character.isDigit(text.charAt(end + 1));
        if (value.length() < 2 || !hasLetter(value) || versionFollows || !plausible(TYPES[c - 1], value, text, start)) {
            return;
        }
        out.add(new Finding(TYPES[c - 1], start, end, Math.min(0.95, confidence)));
    }

    /** Words that start sentences and are never names on their own. */
    private static final Set<String> NOT_NAMES = Set.of(
            "i", "he", "she", "it", "we", "you", "they", "the", "this", "that", "my", "our", "your", "his", "her",
            "their", "a", "an", "please", "dear", "hi", "hello", "thanks", "dob", "ssn", "iban", "mr", "mrs", "ms",
            "dr", "sir", "madam", "of", "and", "or", "is", "to", "in", "at", "on", "for", "from", "with", "by");

    /**
     * What the head proposes and a reader would not accept: an address without a house number or any digit, a name
     * that is a pronoun or function word, or a lower-case word taken for a name in text that otherwise uses capitals.
     */
    private static boolean plausible(Type type, String value, String text, int start) {
        if (type == Type.POSTAL_ADDRESS) {
            // a house number or postcode, and a word of letters ("DE89 3704" is the start of an account number)
            return value.chars().anyMatch(Character::isDigit)
                    && Arrays.stream(value.split("[\\s,]+"))
                            .anyMatch(w -> w.length() >= 3 && w.chars().allMatch(Character::isLetter));
        }
        if (value.chars().anyMatch(Character::isDigit)) {
            return false;
        }
        String[] words = value.toLowerCase(Locale.ROOT).split("[\\s,]+");
        if (Arrays.stream(words).allMatch(NOT_NAMES::contains)) {
            return false;
        }
        if (value.equals(value.toUpperCase(Locale.ROOT))) {
            return false; // shouted text: capitals say nothing there, and the head takes too many words for names
        }
        for (String w : value.split("[\\s,]+")) {
            if (w.length() > 1 && w.equals(w.toUpperCase(Locale.ROOT))) {
                return false; // an acronym beside capitalised words: "Mijn BSN", "NIE del"
            }
        }
        if (Character.isUpperCase(value.charAt(0))) {
            return true;
        }
        String around = text.substring(Math.max(0, start - 60), Math.min(text.length(), start + value.length() + 60));
        return around.chars().noneMatch(Character::isUpperCase);
    }

    // --- training -------------------------------------------------------------------------------------------------

    /** A labelled text: spans of names and addresses as {type index 1 or 2, start, end}. */
    public record Example(String text, List<int[]> spans) {}

    /** The class index of a type's id, or -1 when the head does not learn it. */
    public static int classOf(String typeId) {
        for (int c = 1; c < CLASSES; c++) {
            if (TYPES[c - 1].id().equals(typeId)) {
                return c;
            }
        }
        return -1;
    }

    /**
     * Trains the head on labelled texts: softmax regression by mini-batch gradient descent (deterministic: a fixed
     * seed orders the batches), features scaled to unit variance, classes weighted by the square root of their
     * inverse frequency, L2-regularised.
     */
    public static EntityModel train(List<Example> examples, int epochs, String trainedOn, IntConsumer progress) {
        List<float[]> xs = new ArrayList<>();
        List<Integer> ys = new ArrayList<>();
        List<CompletableFuture<Pieces>> pending = new ArrayList<>();
        for (Example e : examples) {
            pending.add(CompletableFuture.supplyAsync(
                    () -> Pieces.of(e.text()), MiniLmRuntime.shared().executor()));
        }
        for (int k = 0; k < examples.size(); k++) {
            Pieces p = pending.get(k).join();
            Example e = examples.get(k);
            for (int i = 0; i < p.features().length; i++) {
                int label = 0;
                for (int[] span : e.spans()) {
                    if (p.starts()[i] < span[2] && span[1] < p.ends()[i]) {
                        label = span[0];
                    }
                }
                xs.add(p.features()[i]);
                ys.add(label);
            }
            progress.accept(k + 1);
        }
        return new EntityModel(fit(xs, ys, epochs, trainedOn));
    }

    private static Weights fit(List<float[]> xs, List<Integer> ys, int epochs, String trainedOn) {
        int n = xs.size();
        int classes = CLASSES;
        float[] mean = new float[FEATURES];
        float[] scale = new float[FEATURES];
        for (float[] x : xs) {
            for (int d = 0; d < FEATURES; d++) {
                mean[d] += x[d] / n;
            }
        }
        double[] variance = new double[FEATURES];
        for (float[] x : xs) {
            for (int d = 0; d < FEATURES; d++) {
                variance[d] += (x[d] - mean[d]) * (x[d] - mean[d]) / n;
            }
        }
        for (int d = 0; d < FEATURES; d++) {
            scale[d] = (float) (1 / Math.sqrt(variance[d] + 1e-6));
        }
        int[] counts = new int[classes];
        ys.forEach(y -> counts[y]++);
        double[] classWeight = new double[classes];
        for (int c = 0; c < classes; c++) {
            classWeight[c] = counts[c] == 0 ? 0 : Math.sqrt((double) n / (classes * counts[c]));
        }
        float[][] w = new float[classes][FEATURES];
        float[] b = new float[classes];
        double[] thresholds = {0, 0.5, 0.5};
        Weights model = new Weights(w, b, mean, scale, thresholds, trainedOn);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(2026);
        int batch = 32;
        double l2 = 1e-4;
        int step = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int from = 0; from < n; from += batch) {
                double rate = 0.05 / Math.sqrt(1 + step++ / 1000.0);
                float[][] gw = new float[classes][FEATURES];
                float[] gb = new float[classes];
                int to = Math.min(n, from + batch);
                for (int k = from; k < to; k++) {
                    float[] x = xs.get(order[k]);
                    int y = ys.get(order[k]);
                    double[] p = model.probabilities(x);
                    for (int c = 0; c < classes; c++) {
                        float g = (float) (classWeight[y] * (p[c] - (c == y ? 1 : 0)));
                        gb[c] += g;
                        for (int d = 0; d < FEATURES; d++) {
                            gw[c][d] += g * (x[d] - mean[d]) * scale[d];
                        }
                    }
                }
                int size = to - from;
                for (int c = 0; c < classes; c++) {
                    b[c] -= (float) (rate * gb[c] / size);
                    for (int d = 0; d < FEATURES; d++) {
                        w[c][d] -= (float) (rate * (gw[c][d] / size + l2 * w[c][d]));
                    }
                }
            }
        }
        return model;
    }

    /** The same head with other probability thresholds for names and addresses (tuned on a tuning set). */
    public EntityModel withThresholds(double name, double address) {
        Weights current = weights();
        return new EntityModel(new Weights(
                current.w(),
                current.b(),
                current.mean(),
                current.scale(),
                new double[] {0, name, address},
                current.trainedOn()));
    }

    /** The weights as JSON, for the bundled resource (values rounded to 6 significant digits). */
    public String toJson() {
        Weights current = weights();
        ObjectNode root = JSON.createObjectNode();
        root.put("model", MiniLmEmbeddings.MODEL);
        root.put(
                "head",
                "softmax over [other, person_name, postal_address]; features: last hidden state + " + SHAPES
                        + " word-shape marks, scaled by mean and scale");
        root.put("trained_on", current.trainedOn());
        ObjectNode thresholds = root.putObject("thresholds");
        for (int c = 1; c < CLASSES; c++) {
            thresholds.put(TYPES[c - 1].id(), current.thresholds()[c]);
        }
        ArrayNode w = root.putArray("weights");
        for (float[] row : current.w()) {
            array(w.addArray(), row);
        }
        array(root.putArray("bias"), current.b());
        array(root.putArray("mean"), current.mean());
        array(root.putArray("scale"), current.scale());
        return root.toString();
    }

    private static void array(ArrayNode node, float[] values) {
        for (float v : values) {
            node.add(Double.parseDouble(String.format(Locale.ROOT, "%.6g", v)));
        }
    }
}
