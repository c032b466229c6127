package dev.airlock.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.testkit.LocalProcesses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a newcomer types, run as separate processes from a working directory of their own: the README's command lines
 * as written, how a command finds its configuration, and where the embedded store ends up.
 */
class FirstRunTest {
    private static final Path README = Path.of("../README.md");
    private static final Path EXAMPLE = Path.of("../examples/loan-risk");
    private static final Pattern EXIT = Pattern.compile("#\\s*exit\\s+(\\d+)");
    private static final Pattern EXPORT = Pattern.compile("^export (\\w+)=(\\S+)");

    @TempDir
    Path dir;

    record Run(int exit, String output) {}

    record Line(String text, int exit) {}

    @Test
    void theReadmeCommandLines_runAsWrittenFromARepositoryCheckout() throws Exception {
        copyExample(dir);
        List<String> lines = shLines(Files.readString(README));
        Map<String, String> env = new LinkedHashMap<>();
        List<Line> commands = new ArrayList<>();
        for (String line : lines) {
            Matcher export = EXPORT.matcher(line);
            if (export.find()) {
                env.put(export.group(1), export.group(2));
            } else if (line.startsWith("./airlock ") && !isServeOrTest(line)) {
                Matcher exit = EXIT.matcher(line);
                commands.add(new Line(line, exit.find() ? Integer.parseInt(exit.group(1)) : 0));
            }
        }
        assertThat(env)
                .as("the README says where commands find the configuration")
                .containsKey("AIRLOCK_CONFIG");
        assertThat(commands)
                .extracting(Line::text)
                .as("the README's command lines")
                .anySatisfy(l -> assertThat(l).startsWith("./airlock readiness "))
                .anySatisfy(l -> assertThat(l).startsWith("./airlock audit verify"))
                .anySatisfy(l -> assertThat(l).startsWith("./airlock keys list"));

        for (Line command : commands) {
            List<String> words = GettingStartedTest.words(command.text().replaceAll("\\s+#.*$", ""));
            Run run = airlock(dir, env, words.subList(1, words.size()));
            System.out.printf("$ %s%n%s%n", command.text(), run.output()); // the run, for the build log
            assertThat(run.exit()).as("%s%n%s", command.text(), run.output()).isEqualTo(command.exit());
            assertThat(run.output()).doesNotContain("no configuration");
        }
        assertThat(dir.resolve("examples/loan-risk/.airlock/airlock.db"))
                .as("the store beside the configuration")
                .isRegularFile();
        assertThat(dir.resolve(".airlock"))
                .as("nothing in the working directory")
                .doesNotExist();
    }

    @Test
    void aCommandFindsItsConfiguration_inTheFlag_elseTheVariable_elseTheWorkingDirectory() throws Exception {
        Path here = Files.createDirectories(dir.resolve("here"));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.writeString(
                here.resolve("airlock.yaml"),
                "providers: {e: {kind: minilm-embeddings}}\n" + "models: {from-cwd: {kind: embedding, provider: e}}\n");
        Files.writeString(
                elsewhere.resolve("env.yaml"),
                "providers: {e: {kind: minilm-embeddings}}\n" + "models: {from-env: {kind: embedding, provider: e}}\n");
        Files.writeString(
                elsewhere.resolve("flag.yaml"),
                "providers: {e: {kind: minilm-embeddings}}\n"
                        + "models: {from-flag: {kind: embedding, provider: e}}\n");
        Map<String, String> env =
                Map.of("AIRLOCK_CONFIG", elsewhere.resolve("env.yaml").toString());

        assertThat(airlock(here, env, List.of("config", "check", "--config", "../elsewhere/flag.yaml"))
                        .output())
                .contains("model from-flag");
        assertThat(airlock(here, env, List.of("config", "check")).output()).contains("model from-env");
        assertThat(airlock(here, Map.of(), List.of("config", "check")).output()).contains("model from-cwd");
        Run none = airlock(elsewhere, Map.of(), List.of("config", "check"));
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.output())
                .contains("no configuration: pass --config FILE, set AIRLOCK_CONFIG, or create ./airlock.yaml");
    }

    @Test
    void theStore_isBesideTheConfiguration_whateverTheWorkingDirectory() throws Exception {
        Path project = Files.createDirectories(dir.resolve("project"));
        Path other = Files.createDirectories(dir.resolve("other/deeper"));
        Files.writeString(project.resolve("airlock.yaml"), "store: {url: \"jdbc:sqlite:.airlock/airlock.db\"}\n");

        Run created = airlock(
                project,
                Map.of(),
                List.of("keys", "create", "--tenant", "acme", "--role", "app", "--name", "made-in-project"));
        Run listed = airlock(other, Map.of(), List.of("keys", "list", "--config", "../../project/airlock.yaml"));

        assertThat(created.exit()).as(created.output()).isZero();
        assertThat(listed.exit()).as(listed.output()).isZero();
        assertThat(listed.output()).contains("made-in-project");
        assertThat(project.resolve(".airlock/airlock.db")).isRegularFile();
        assertThat(other.resolve(".airlock")).doesNotExist();
    }

    /** The {@code serve} line runs until stopped and {@code test} is the launcher's Maven run: both are run elsewhere. */
    private static boolean isServeOrTest(String line) {
        return line.startsWith("./airlock serve ")
                || line.startsWith("./airlock test ")
                || line.equals("./airlock test");
    }

    /** The lines of the page's {@code sh} blocks. */
    private static List<String> shLines(String page) {
        List<String> lines = new ArrayList<>();
        boolean inSh = false;
        for (String line : page.lines().toList()) {
            if (line.startsWith("```")) {
                inSh = !inSh && line.strip().equals("```sh");
            } else if (inSh) {
                lines.add(line.strip());
            }
        }
        return lines;
    }

    /** {@code airlock ARGS} in a JVM of its own, started in {@code cwd} with only the given AIRLOCK_ variables. */
    private static Run airlock(Path cwd, Map<String, String> env, List<String> args) throws Exception {
        ProcessBuilder builder = LocalProcesses.java(
                        "-Dsun.misc.unsafe.memory.access=allow",
                        AirlockCli.class.getName(),
                        args.toArray(String[]::new))
                .directory(cwd.toFile())
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("AIRLOCK_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("airlock " + args + " did not end within 120 s");
        }
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    /** The example's configuration, model and data under {@code root/examples/loan-risk}, as in a checkout. */
    private static void copyExample(Path root) throws IOException {
        Path copy = root.resolve("examples/loan-risk");
        for (String sub : List.of("model", "data")) {
            Files.createDirectories(copy.resolve(sub));
            try (Stream<Path> files = Files.list(EXAMPLE.resolve(sub))) {
                for (Path f : files.sorted(Comparator.naturalOrder()).toList()) {
                    Files.copy(f, copy.resolve(sub).resolve(f.getFileName()));
                }
            }
        }
        Files.copy(EXAMPLE.resolve("airlock.yaml"), copy.resolve("airlock.yaml"));
    }
}
