package dev.airlock.server.cli;

import dev.airlock.policy.Policies;
import dev.airlock.policy.Policy;
import dev.airlock.server.config.AirlockConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code airlock policy test}: runs the example cases written beside the policy rules. */
@Command(
        name = "policy",
        mixinStandardHelpOptions = true,
        description = "Policy rules (CEL) and their example cases.",
        subcommands = {PolicyCommand.Test.class, PolicyCommand.ListPolicies.class})
final class PolicyCommand {

    static Policies load(ConfigOption config) {
        AirlockConfig loaded = config.load(); // checks every rule compiles, naming file and line otherwise
        List<Policy> all = new ArrayList<>();
        loaded.policies().forEach((name, p) -> p.versions().forEach((v, pv) -> all.add(pv.policy(name, v))));
        return Policies.compile(all);
    }

    @Command(
            name = "test",
            mixinStandardHelpOptions = true,
            description = "Runs every policy version's example cases; prints each failure with what was expected and"
                    + " what the rules gave. Exit code 1 when any fails.")
    static final class Test implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Policies policies = load(config);
            List<String> failures = policies.runExamples();
            PrintWriter out = spec.commandLine().getOut();
            failures.forEach(f -> out.println("FAIL " + f));
            out.printf(
                    "%d policy version(s), %d example(s): %s%n",
                    policies.names().stream()
                            .mapToInt(n -> policies.versions(n).size())
                            .sum(),
                    policies.exampleCount(),
                    failures.isEmpty() ? "all passed" : failures.size() + " failed");
            return failures.isEmpty() ? 0 : 1;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists policy versions and their rules.")
    static final class ListPolicies implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Policies policies = load(config);
            PrintWriter out = spec.commandLine().getOut();
            for (String name : policies.names()) {
                for (Policy p : policies.versions(name)) {
                    out.printf("%s%s%n", p.ref(), p.labels().isEmpty() ? "" : " " + p.labels());
                    p.rules()
                            .forEach(r -> out.printf(
                                    "  %-6s %-7s %-28s when %s  -> %s%n",
                                    r.stage().id(), r.effect().id(), r.name(), r.when(), r.reason()));
                }
            }
            return 0;
        }
    }
}
