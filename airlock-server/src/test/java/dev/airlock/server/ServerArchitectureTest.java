package dev.airlock.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The server's rooms: HTTP routes and CLI commands are adapters that parse, call a use case and render; they stand
 * side by side and neither reaches into the other; they see the store only through the ports core declares (the
 * runtime, which opens it, may name it); the testkit's stand-ins never ship.
 */
@AnalyzeClasses(packages = "dev.airlock", importOptions = ImportOption.DoNotIncludeTests.class)
class ServerArchitectureTest {

    @ArchTest
    static final ArchRule noCyclesAmongServerPackages = slices().matching("dev.airlock.server.(*)..")
            .should()
            .beFreeOfCycles()
            .because("each server package is a room with a door; a cycle makes two rooms one");

    @ArchTest
    static final ArchRule cliDoesNotUseHttp = noClasses()
            .that()
            .resideInAPackage("dev.airlock.server.cli..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.airlock.server.http..")
            .because("CLI commands and HTTP routes are sibling adapters over the same use cases;"
                    + " what both need (JSON forms, use cases) lives below them");

    @ArchTest
    static final ArchRule jsonFormsKnowNoHttp = noClasses()
            .that()
            .resideInAPackage("dev.airlock.server.json..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.javalin..", "jakarta.servlet..", "dev.airlock.server.http..")
            .because("the JSON forms are shared by the HTTP API, the CLI and audit publishing;"
                    + " writing them to a response is the HTTP adapter's job");

    @ArchTest
    static final ArchRule httpDoesNotUseCli = noClasses()
            .that()
            .resideInAPackage("dev.airlock.server.http..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.airlock.server.cli..")
            .because("CLI commands and HTTP routes are sibling adapters over the same use cases");

    @ArchTest
    static final ArchRule adaptersSeeOnlyPorts = noClasses()
            .that()
            .resideInAnyPackage("dev.airlock.server.http..", "dev.airlock.server.cli..")
            .should()
            .dependOnClassesThat()
            .haveFullyQualifiedName("dev.airlock.store.Store")
            .because(
                    "an adapter gets only the ports it uses, so it cannot reach past a use case into storage;"
                            + " the runtime opens the store (for a node, or as a CommandStore for a command) and hands them out");

    @ArchTest
    static final ArchRule testkitStaysInTests = noClasses()
            .that()
            .resideOutsideOfPackage("dev.airlock.testkit..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.airlock.testkit..")
            .because("the testkit's stand-ins (FakeOpenAi) are for tests; the load test and drills bring their own"
                    + " RehearsalUpstream");
}
