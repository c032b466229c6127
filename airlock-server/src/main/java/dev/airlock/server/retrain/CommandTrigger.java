package dev.airlock.server.retrain;

import dev.airlock.decision.Stop;
import dev.airlock.monitor.retrain.Candidate;
import dev.airlock.monitor.retrain.Trigger;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Runs a configured program with the extract: the argument list as given (never through a shell, so nothing in a
 * model's name or a path is interpreted), in the configuration's directory, the run's facts in {@code AIRLOCK_*}
 * environment variables, output (stdout and stderr) to {@code output.log} in the run's directory, killed with its
 * children after the timeout. Exit 0 with a candidate is success: the last JSON line naming {@code candidate_version},
 * or {@code candidate.json} in the run's directory; exit 0 without one fails the run, quoting the last line.
 */
final class CommandTrigger implements Trigger {
    /** The most of a trainer's line an error quotes. */
    private static final int QUOTED = 200;

    private final List<String> command;
    private final Path workingDirectory;
    private final Map<String, String> env;
    private final Duration timeout;

    CommandTrigger(List<String> command, Path workingDirectory, Map<String, String> env, Duration timeout) {
        this.command = List.copyOf(command);
        this.workingDirectory = workingDirectory;
        this.env = Map.copyOf(env);
        this.timeout = timeout;
    }

    @Override
    public String kind() {
        return "command";
    }

    @Override
    public Result run(Call call) {
        Path log = call.directory().resolve("output.log");
        ProcessBuilder builder = new ProcessBuilder(argv())
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        builder.environment().putAll(env);
        builder.environment().putAll(RetrainFields.env(call));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new Result.Failed(
                    null, "", "the command " + command.getFirst() + " could not start: " + e.getMessage());
        }
        boolean finished;
        try {
            finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(process);
            return new Result.Failed(null, output(log), "interrupted while the command ran");
        }
        if (!finished) {
            kill(process);
            return new Result.Failed(
                    null, output(log), "the command did not finish within " + timeout + "; it was stopped");
        }
        String output = readQuietly(log);
        String tail = CandidateLine.tail(output);
        int exit = process.exitValue();
        if (exit != 0) {
            return new Result.Failed(exit, tail, "the command exited with status " + exit);
        }
        try {
            Candidate candidate = candidate(output, call.directory());
            if (candidate == null) {
                return new Result.Failed(exit, tail, noCandidate(output));
            }
            return new Result.Succeeded(exit, tail, candidate);
        } catch (IllegalArgumentException | IOException e) {
            return new Result.Failed(exit, tail, String.valueOf(e.getMessage()));
        }
    }

    @Override
    public Duration bound() {
        return timeout;
    }

    /** Why a command that exited 0 still failed: it reported nothing, quoting (bounded) the last thing it printed. */
    static String noCandidate(String output) {
        List<String> printed = output.lines().filter(l -> !l.isBlank()).toList();
        String last = printed.isEmpty()
                ? "it printed nothing"
                : "its last line was '" + Stop.echo(printed.getLast().strip(), QUOTED) + "'";
        return "the command exited with status 0 but reported no candidate: " + last
                + "; expected as its last line a JSON object naming candidate_version and artifact"
                + " (or candidate.json in the run's directory)";
    }

    private static @Nullable Candidate candidate(String output, Path directory) throws IOException {
        Candidate fromOutput = CandidateLine.find(output);
        if (fromOutput != null) {
            return fromOutput;
        }
        Path file = directory.resolve("candidate.json");
        if (Files.isRegularFile(file)) {
            return CandidateLine.parse(Files.readString(file));
        }
        return null;
    }

    /** The program, resolved against the configuration's directory when it is a relative path such as ./retrain.sh. */
    private List<String> argv() {
        List<String> argv = new ArrayList<>(command);
        String program = argv.getFirst();
        if (program.contains("/") && !Path.of(program).isAbsolute()) {
            argv.set(0, workingDirectory.resolve(program).normalize().toString());
        }
        return argv;
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static String output(Path log) {
        return CandidateLine.tail(readQuietly(log));
    }

    private static String readQuietly(Path log) {
        try {
            return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
