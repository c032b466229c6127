package dev.airlock.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/getting-started.md, run as written: every {@code ./airlock} line of its {@code sh} blocks, in order, against a
 * scratch copy of the loan-risk example, each with the exit code the page says (0 unless the line ends in
 * {@code # exit N}). The page cannot go stale without this failing.
 */
class GettingStartedTest {
    private static final Path PAGE = Path.of("../docs/getting-started.md");
    private static final Path EXAMPLE = Path.of("../examples/loan-risk");
    private static final int LOAD_TEST_RUNS = 3;
    private static final Pattern EXIT = Pattern.compile("#\\s*exit\\s+(\\d+)\\s*$");

    @TempDir
    Path dir;

    record Step(List<String> args, int exit, String line) {}

    @Test
    void thePageCommands_takeTheExampleFromCloneToPromotedRolledBackAndPromotedAgain() throws Exception {
        Path example = scratchCopy();
        List<Step> steps = steps(Files.readString(PAGE), example);
        assertThat(steps).as("commands on the page").hasSizeGreaterThanOrEqualTo(12);

        List<String> outputs = new ArrayList<>();
        for (Step step : steps) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = -1;
            // the page's advice for a load test that a busy machine fails on latency: run it again (at most three runs)
            for (int run = 1; run <= LOAD_TEST_RUNS && exit != step.exit(); run++) {
                out = new StringWriter();
                err = new StringWriter();
                exit = AirlockCli.run(
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        step.args().toArray(String[]::new));
                if (!step.args().contains("loadtest") || !out.toString().contains("latency_p99_ms: p99")) {
                    break;
                }
            }
            assertThat(exit).as("%s%n%s%n%s", step.line(), out, err).isEqualTo(step.exit());
            outputs.add(out.toString() + err);
            System.out.printf("$ %s%n%s%s%n", step.line(), out, err); // the run, for the build log
        }
        String all = String.join("\n", outputs);
        assertThat(all)
                .contains("2000 rows, 1870 scorable")
                .contains("served_by={loan-risk-onnx=20}")
                .contains("within the model's thresholds")
                .contains("loan-risk: production 1.1.0")
                .contains("loan-risk: production 1.0.0");
    }

    /** The {@code ./airlock} lines of the page's {@code sh} blocks, with the example's path pointing at the copy. */
    static List<Step> steps(String page, Path example) {
        List<Step> steps = new ArrayList<>();
        boolean inSh = false;
        for (String line : page.lines().toList()) {
            if (line.startsWith("```")) {
                inSh = !inSh && line.strip().equals("```sh");
                continue;
            }
            if (!inSh || !line.startsWith("./airlock ")) {
                continue;
            }
            Matcher exit = EXIT.matcher(line);
            int code = exit.find() ? Integer.parseInt(exit.group(1)) : 0;
            String command = line.replaceAll("\\s+#.*$", "").replace("examples/loan-risk/", example + "/");
            steps.add(new Step(words(command.substring("./airlock ".length())), code, line));
        }
        return steps;
    }

    /** Splits a command line into words, as a shell would for plain words and double-quoted strings. */
    static List<String> words(String command) {
        List<String> words = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(command);
        while (m.find()) {
            words.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return words;
    }

    /**
     * The example's configuration, model and data in a scratch folder, its store in that folder (the store's relative
     * path resolves against the configuration's folder, in the repository; a test must not write there).
     */
    private Path scratchCopy() throws IOException {
        Path copy = dir.resolve("loan-risk");
        for (String sub : List.of("model", "data")) {
            Files.createDirectories(copy.resolve(sub));
            try (Stream<Path> files = Files.list(EXAMPLE.resolve(sub))) {
                for (Path f : files.sorted(Comparator.naturalOrder()).toList()) {
                    Files.copy(f, copy.resolve(sub).resolve(f.getFileName()));
                }
            }
        }
        String yaml = Files.readString(EXAMPLE.resolve("airlock.yaml"));
        String store = "jdbc:sqlite:.airlock/airlock.db";
        assertThat(yaml).contains(store);
        Files.writeString(
                copy.resolve("airlock.yaml"),
                yaml.replace(store, "jdbc:sqlite:" + copy.resolve(".airlock").resolve("airlock.db")));
        Files.createDirectories(copy.resolve(".airlock"));
        return copy;
    }
}
