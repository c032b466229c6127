package dev.airlock.server.cli;

import dev.airlock.registry.PromptTemplate;
import dev.airlock.server.PromptText;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.config.ConfigException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code airlock prompts [NAME] [--diff A B] [--render REF --var k=v]}: the versioned prompts a configuration declares. */
@Command(
        name = "prompts",
        mixinStandardHelpOptions = true,
        description = "Lists the declared prompts; with NAME, its versions and labels; --diff A B shows what changed"
                + " between two versions (or labels); --render renders one with --var name=value, as a call would.")
final class PromptsCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "NAME", description = "One prompt.")
    @Nullable
    String name;

    @Option(names = "--diff", arity = "2", paramLabel = "VERSION", description = "Two versions or labels to compare.")
    @Nullable
    List<String> diff;

    @Option(names = "--render", paramLabel = "VERSION", description = "A version or label to render.")
    @Nullable
    String render;

    @Option(names = "--var", paramLabel = "NAME=VALUE", description = "A variable for --render (a string).")
    Map<String, String> vars = new LinkedHashMap<>();

    @Override
    public Integer call() {
        AirlockConfig loaded = config.load();
        List<PromptTemplate> all = new ArrayList<>();
        loaded.prompts().forEach((n, p) -> p.versions().forEach((v, pv) -> all.add(pv.template(n, v))));
        var catalog = new PromptTemplate.Catalog(all);
        PrintWriter out = spec.commandLine().getOut();
        if (name == null) {
            catalog.names().forEach(n -> out.printf("%s: versions %s%n", n, versionsOf(catalog, n)));
            return 0;
        }
        if (catalog.versions(name).isEmpty()) {
            throw new ConfigException("no prompt '" + name + "'; declared: " + catalog.names());
        }
        if (diff != null) {
            String text = PromptText.diff(find(catalog, name, diff.get(0)), find(catalog, name, diff.get(1)));
            out.print(text.isEmpty() ? "no difference\n" : text);
            return 0;
        }
        if (render != null) {
            try {
                out.println(find(catalog, name, render).render(vars));
            } catch (PromptTemplate.RenderException e) {
                spec.commandLine().getErr().println("airlock: " + e.getMessage());
                return 1;
            }
            return 0;
        }
        for (PromptTemplate p : catalog.versions(name)) {
            out.printf("%s%n", p.ref());
            PromptText.lines(p).forEach(line -> out.println("  " + line));
        }
        return 0;
    }

    private static PromptTemplate find(PromptTemplate.Catalog catalog, String name, String version) {
        return catalog.find(name + "@" + version)
                .orElseThrow(() -> new ConfigException("prompt " + name + " has no version or label '" + version
                        + "'; versions: " + versionsOf(catalog, name)));
    }

    private static String versionsOf(PromptTemplate.Catalog catalog, String name) {
        List<String> shown = new ArrayList<>();
        for (PromptTemplate p : catalog.versions(name)) {
            shown.add(p.version() + (p.labels().isEmpty() ? "" : " " + p.labels()));
        }
        return String.join(", ", shown);
    }
}
