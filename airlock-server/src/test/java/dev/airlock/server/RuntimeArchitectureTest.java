package dev.airlock.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The runtime is what a JVM application embeds: it builds the store, providers, pipeline and services and serves no
 * HTTP. The server and the CLI sit on top of it, never under it.
 */
@AnalyzeClasses(packages = "dev.airlock.server", importOptions = ImportOption.DoNotIncludeTests.class)
class RuntimeArchitectureTest {

    @ArchTest
    static final ArchRule runtimeServesNoHttp = noClasses()
            .that()
            .resideInAPackage("dev.airlock.server.runtime..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.javalin..", "org.eclipse.jetty.server..", "jakarta.servlet..")
            .because("an application embeds the runtime without opening a port; the server adds HTTP on top");

    @ArchTest
    static final ArchRule runtimeKnowsNoDoorAboveIt = noClasses()
            .that()
            .resideInAPackage("dev.airlock.server.runtime..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.airlock.server.http..", "dev.airlock.server.cli..")
            .because("routes and commands call the runtime, not the other way round");
}
