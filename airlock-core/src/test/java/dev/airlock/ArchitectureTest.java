package dev.airlock;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Core holds the Decision, the pipeline and its rules: no HTTP, no SQL, no native code, nothing of ours. */
@AnalyzeClasses(packages = "dev.airlock", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule coreSpeaksNoHttp = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "java.net.http..",
                    "com.sun.net.httpserver..",
                    "io.javalin..",
                    "jakarta.servlet..",
                    "org.eclipse.jetty..",
                    "io.helidon..")
            .because("HTTP belongs to airlock-server");

    @ArchTest
    static final ArchRule coreSpeaksNoSql = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("java.sql..", "javax.sql..", "org.jdbi..", "org.flywaydb..", "com.zaxxer..")
            .because("persistence belongs to airlock-store, behind interfaces core declares");

    @ArchTest
    static final ArchRule coreRunsNoNativeCode = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("ai.onnxruntime..", "ai.djl..", "java.lang.foreign..")
            .because("in-process inference belongs to airlock-models");

    @ArchTest
    static final ArchRule coreTracesThroughTheApiOnly = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.opentelemetry.sdk..", "io.opentelemetry.exporter..")
            .because("core makes spans through OpenTelemetry's API; the server chooses the SDK and the exporter");

    @ArchTest
    static final ArchRule coreDependsOnNothingOfOurs = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.airlock.server..", "dev.airlock.store..", "dev.airlock.models..")
            .because("everything depends on core, core on none of it");

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("dev.airlock.(*)..")
            .should()
            .beFreeOfCycles()
            .because("each package is a room with a door; a cycle makes two rooms one");
}
