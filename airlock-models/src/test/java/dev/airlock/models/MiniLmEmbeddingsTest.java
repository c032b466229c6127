package dev.airlock.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.airlock.decision.Stop;
import dev.airlock.provider.EmbeddingRequest;
import dev.airlock.provider.EmbeddingResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MiniLmEmbeddingsTest {
    private static final String RESET = "How do I reset my password?";
    private static final String CHANGE = "What are the steps to change my password?";
    private static final String WEATHER = "The weather in Lisbon is sunny today.";

    private final MiniLmEmbeddings minilm = new MiniLmEmbeddings("minilm");

    private EmbeddingResult embed(String... inputs) {
        return minilm.embed(MiniLmEmbeddings.MODEL, new EmbeddingRequest("embed", List.of(inputs), Map.of()));
    }

    @Test
    void paraphrases_areCloserThanAnUnrelatedSentence() {
        List<float[]> v = embed(RESET, CHANGE, WEATHER).vectors();

        double paraphrase = cosine(v.get(0), v.get(1));
        double unrelated = cosine(v.get(0), v.get(2));

        assertThat(paraphrase).isGreaterThan(unrelated + 0.3);
        assertThat(paraphrase).isGreaterThan(0.6);
    }

    @Test
    void vectors_have384DimensionsAndUnitLength() {
        EmbeddingResult result = embed(RESET, WEATHER, "x");

        assertThat(result.vectors()).hasSize(3).allSatisfy(v -> {
            assertThat(v).hasSize(MiniLmEmbeddings.DIMENSIONS);
            assertThat(norm(v)).isCloseTo(1.0, within(1e-5));
        });
        assertThat(result.upstreamModel()).isEqualTo("all-minilm-l6-v2");
    }

    @Test
    void batch_givesTheSameVectorsAsOneAtATime_inInputOrder() {
        List<float[]> batch = embed(WEATHER, RESET).vectors();

        assertThat(batch.get(0)).containsExactly(embed(WEATHER).vectors().getFirst(), within(1e-6f));
        assertThat(batch.get(1)).containsExactly(embed(RESET).vectors().getFirst(), within(1e-6f));
    }

    @Test
    void usage_countsWordPieceTokensOfEveryInput() {
        long one = embed(RESET).usage().inputTokens();
        long two = embed(RESET, RESET).usage().inputTokens();

        assertThat(one).isEqualTo(7); // how, do, i, reset, my, password, ?
        assertThat(two).isEqualTo(2 * one);
        assertThat(embed(RESET).usage().outputTokens()).isZero();
    }

    @Test
    void shortText_givesTheSameVectorAsLangchain4jsOwnModel() {
        float[] reference = new dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel()
                .embed(RESET)
                .content()
                .vector();

        assertThat(embed(RESET).vectors().getFirst()).containsExactly(reference, within(1e-5f));
    }

    @Test
    void textAtTheWindow_isEmbedded_andLongerTextIsRefusedNotCut() {
        String fits = String.join(" ", Collections.nCopies(254, "password"));
        String tooLong = fits + " reset";

        assertThat(embed(fits).usage().inputTokens()).isEqualTo(254);
        assertThatThrownBy(() -> embed(RESET, tooLong)).isInstanceOfSatisfying(Stop.Stopped.class, e -> {
            assertThat(e.stop().param()).isEqualTo("input[1]");
            assertThat(e.stop().message()).startsWith("input[1]: 255 tokens, more than the 254 all-minilm-l6-v2 reads");
        });
    }

    @Test
    void textBeyondTheArtifactsDefaultWindow_changesTheVector() {
        // the tokenizer file in the artifact stops at 128 tokens; the model must read up to 256
        String start = String.join(" ", Collections.nCopies(130, "password"));

        float[] withoutTail = embed(start).vectors().getFirst();
        float[] withTail = embed(start + " " + WEATHER).vectors().getFirst();

        assertThat(cosine(withoutTail, withTail)).isLessThan(0.999);
    }

    @Test
    void emptyInput_stopsWith400NamingItsIndex() {
        assertThatThrownBy(() -> embed(RESET, "", WEATHER)).isInstanceOfSatisfying(Stop.Stopped.class, e -> {
            assertThat(e.stop().status()).isEqualTo(400);
            assertThat(e.stop().param()).isEqualTo("input[1]");
            assertThat(e.stop().message()).isEqualTo("input[1]: expected text to embed, got an empty string");
        });
        assertThatThrownBy(() -> embed("   "))
                .isInstanceOfSatisfying(
                        Stop.Stopped.class, e -> assertThat(e.stop().param()).isEqualTo("input[0]"));
    }

    @Test
    void noInputs_stopsWith400() {
        assertThatThrownBy(() -> embed())
                .isInstanceOfSatisfying(
                        Stop.Stopped.class, e -> assertThat(e.stop().param()).isEqualTo("input"));
    }

    @Test
    void otherDimensions_stopWith400() {
        var request = new EmbeddingRequest("embed", List.of(RESET), Map.of("dimensions", 256));

        assertThatThrownBy(() -> minilm.embed(MiniLmEmbeddings.MODEL, request))
                .isInstanceOfSatisfying(
                        Stop.Stopped.class, e -> assertThat(e.stop().param()).isEqualTo("dimensions"));
    }

    @Test
    void concurrentCallers_getTheSameVectors() throws Exception {
        float[] expected = embed(CHANGE).vectors().getFirst();
        List<Thread> threads = new ArrayList<>();
        List<float[]> results = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 6; i++) {
            threads.add(Thread.ofPlatform()
                    .start(() -> results.add(embed(CHANGE).vectors().getFirst())));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(results)
                .hasSize(6)
                .allSatisfy(v -> assertThat(Arrays.equals(v, expected)).isTrue());
    }

    @Test
    void inWindows_aTextThatFitsTheModel_isOneWindow_withTheVectorTheEndpointGives() {
        List<List<MiniLmEmbeddings.TextWindow>> windows = minilm.embedInWindows(List.of(RESET, WEATHER));

        assertThat(windows).hasSize(2).allSatisfy(w -> assertThat(w).hasSize(1));
        var reset = windows.get(0).getFirst();
        assertThat(reset.index()).isZero();
        assertThat(reset.count()).isEqualTo(1);
        assertThat(reset.start()).isZero();
        assertThat(reset.end()).isEqualTo(RESET.length());
        assertThat(reset.vector()).containsExactly(embed(RESET).vectors().getFirst());
    }

    @Test
    void inWindows_aTextTheEndpointRefuses_isReadWhole_eachWindowTheVectorOfItsOwnPassage() {
        String longText = longText(600);
        assertThatThrownBy(() -> embed(longText)).isInstanceOf(Stop.Stopped.class); // the endpoint keeps its 400

        List<MiniLmEmbeddings.TextWindow> windows =
                minilm.embedInWindows(List.of(longText)).getFirst();

        assertThat(windows).hasSize(TokenWindows.plan(600).size());
        assertThat(windows.getFirst().start()).isZero();
        assertThat(windows.getLast().end()).isEqualTo(longText.length());
        for (int i = 0; i < windows.size(); i++) {
            var w = windows.get(i);
            assertThat(w.index()).isEqualTo(i);
            assertThat(w.count()).isEqualTo(windows.size());
            if (i > 0) {
                assertThat(w.start())
                        .as("window %d overlaps the one before", i)
                        .isLessThan(windows.get(i - 1).end());
            }
            String passage = longText.substring(w.start(), w.end());
            assertThat(cosine(w.vector(), embed(passage).vectors().getFirst()))
                    .as("window %d: its vector is its passage's", i)
                    .isGreaterThan(0.9999);
            assertThat(norm(w.vector())).isCloseTo(1.0, within(1e-5));
        }
    }

    @Test
    void inWindows_characterOffsets_areStringIndices_evenAfterEmoji() {
        String longText = "\uD83D\uDE80 launch notes \uD83D\uDE80 " + longText(400) + " \uD83C\uDF89 done";

        List<MiniLmEmbeddings.TextWindow> windows =
                minilm.embedInWindows(List.of(longText)).getFirst();

        assertThat(windows.size()).isGreaterThan(1);
        assertThat(windows.getLast().end()).isEqualTo(longText.length());
        assertThat(windows).allSatisfy(w -> {
            assertThat(Character.isLowSurrogate(longText.charAt(w.start()))).isFalse();
            String passage = longText.substring(w.start(), w.end());
            assertThat(cosine(w.vector(), embed(passage).vectors().getFirst())).isGreaterThan(0.9999);
        });
    }

    @Test
    void inWindows_aTextTheTokenizerDropsEntirely_isStillEmbedded() {
        String invisible = "\u200B\u200B"; // zero-width spaces: not blank to Java, no word piece to the model

        var window = minilm.embedInWindows(List.of(invisible)).getFirst();

        assertThat(window).hasSize(1);
        assertThat(window.getFirst().end()).isEqualTo(invisible.length());
        assertThat(norm(window.getFirst().vector())).isCloseTo(1.0, within(1e-5));
    }

    @Test
    void inWindows_manyTextsOfEveryLength_keepTheirOrder() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            texts.add(i % 5 == 0 ? longText(300 + i) : "question number " + i);
        }

        var windows = minilm.embedInWindows(texts);

        assertThat(windows).hasSize(40);
        for (int i = 0; i < 40; i++) {
            var w = windows.get(i);
            assertThat(w.getLast().end()).isEqualTo(texts.get(i).length());
            if (i % 5 != 0) {
                assertThat(w.getFirst().vector())
                        .containsExactly(embed(texts.get(i)).vectors().getFirst());
            }
        }
    }

    /** A text of exactly {@code tokens} word pieces: varied English words, one word piece each. */
    static String longText(int tokens) {
        String[] words = {
            "router", "light", "green", "cable", "network", "guest", "schedule", "update", "night", "device",
            "power", "seconds", "report", "band", "range", "walls", "port", "rule", "reset", "password"
        };
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < tokens; i++) {
            if (i > 0) {
                text.append(' ');
            }
            text.append(words[(i * 7 + i / 20) % words.length]);
        }
        return text.toString();
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot / (norm(a) * norm(b));
    }

    static double norm(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        return Math.sqrt(sum);
    }
}
