package dev.airlock.server.cli;

import dev.airlock.server.config.ConfigException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code airlock} command. */
@Command(
        name = "airlock",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description =
                "The production runtime for AI systems: every AI call authenticated, routed, guarded and recorded.",
        footer = {"", ConfigOption.WHERE},
        subcommands = {
            ServeCommand.class,
            KeysCommand.class,
            AuditCommand.class,
            LoadTestCommand.class,
            ReadinessCommand.class,
            EvaluateCommand.class,
            OutcomeCommands.LabelsCommand.class,
            OutcomeCommands.AccuracyCommand.class,
            GuardCommand.class,
            DrillCommand.class,
            DeploymentsCommand.class,
            PromptsCommand.class,
            PolicyCommand.class,
            ProfileCommand.class,
            DriftCommand.class,
            RetrainCommand.class,
            ConfigAsCode.Plan.class,
            ConfigAsCode.Apply.class,
            ConfigAsCode.Export.class,
            DeployCommands.PromoteCommand.class,
            DeployCommands.RollbackCommand.class,
            DeployCommands.CanaryCommand.class,
            DeployCommands.ShadowCommand.class,
            ConfigCommand.class,
            AlertsCommand.class,
            AlertsCommand.SilenceCommand.class,
            IncidentsCommand.class,
            WorkflowsCommand.class,
            CommandLine.HelpCommand.class
        })
public final class AirlockCli {

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs a command line, writing to the given streams; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new AirlockCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException || e instanceof IllegalArgumentException) {
                commandLine.getErr().println("airlock: " + e.getMessage());
                return 2;
            }
            commandLine.getErr().println("airlock: " + e);
            return 1;
        });
        return cli.execute(args);
    }
}
