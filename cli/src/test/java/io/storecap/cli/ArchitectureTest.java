package io.storecap.cli;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The structure docs/ARCHITECTURE.md describes, checked: no package cycle anywhere, the modules
 * depend one way along the pipeline, the model's packages too, and no main source file grows past
 * ~400 lines without saying why in its class comment.
 */
class ArchitectureTest {
    /** A file over the limit says why in its class comment with these words. */
    static final String LONG_FILE_REASON = "Longer than 400 lines because";
    static final int MAX_LINES = 420;

    static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar")).importPackages("io.storecap");
        assertTrue(classes.size() > 200, "every module's classes are on the test classpath: " + classes.size());
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.storecap.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void modulesDependOneWayAlongThePipeline() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("model").definedBy("io.storecap.model..")
                .layer("environment").definedBy("io.storecap.environment..")
                .layer("service").definedBy("io.storecap.service..")
                .layer("reports").definedBy("io.storecap.reports..")
                .layer("load").definedBy("io.storecap.simulations..")
                .layer("runner").definedBy("io.storecap.runner..")
                .layer("cli").definedBy("io.storecap.cli..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("runner").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("load").mayOnlyBeAccessedByLayers("runner", "cli")
                .whereLayer("reports").mayOnlyBeAccessedByLayers("runner", "cli")
                .whereLayer("environment").mayOnlyBeAccessedByLayers("runner", "cli")
                .whereLayer("service").mayOnlyBeAccessedByLayers("load", "runner", "cli")
                .check(classes);
    }

    @Test
    void theModelsPackagesDependOneWay() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("records").definedBy("io.storecap.model")
                .layer("math").definedBy("io.storecap.model.fit..", "io.storecap.model.knee..", "io.storecap.model.queue..")
                .layer("verdict").definedBy("io.storecap.model.verdict..")
                .layer("capacity").definedBy("io.storecap.model.capacity..")
                .layer("serverless").definedBy("io.storecap.model.serverless..")
                .layer("explain").definedBy("io.storecap.model.explain..")
                .layer("whatif").definedBy("io.storecap.model.whatif..")
                .layer("validation").definedBy("io.storecap.model.validation..")
                .layer("study").definedBy("io.storecap.model.study..")
                .layer("logs").definedBy("io.storecap.model.logs..")
                .layer("checklist").definedBy("io.storecap.model.checklist..")
                .whereLayer("study").mayNotBeAccessedByAnyLayer()
                .whereLayer("logs").mayNotBeAccessedByAnyLayer()
                .whereLayer("checklist").mayNotBeAccessedByAnyLayer()
                .whereLayer("whatif").mayNotBeAccessedByAnyLayer()
                .whereLayer("validation").mayNotBeAccessedByAnyLayer()
                .whereLayer("explain").mayOnlyBeAccessedByLayers("whatif", "study")
                .whereLayer("serverless").mayOnlyBeAccessedByLayers("explain", "whatif", "study", "validation")
                .whereLayer("capacity").mayOnlyBeAccessedByLayers("explain", "whatif", "study")
                .whereLayer("verdict").mayOnlyBeAccessedByLayers("capacity", "serverless", "explain", "whatif", "study")
                .whereLayer("math").mayOnlyBeAccessedByLayers("verdict", "capacity", "serverless", "explain", "whatif", "study")
                .check(classes);
    }

    @Test
    void mainSourceFilesStayShortOrSayWhy() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> tooLong;
        try (Stream<Path> files = Files.walk(root)) {
            tooLong = files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/"))
                    .filter(p -> !p.toString().contains("/target/"))
                    .filter(p -> lines(p) > MAX_LINES && !read(p).contains(LONG_FILE_REASON))
                    .map(p -> root.relativize(p) + " (" + lines(p) + " lines)").sorted().toList();
        }
        assertTrue(tooLong.isEmpty(), "split these along their seams, or say why in the class comment ('"
                + LONG_FILE_REASON + " ...'): " + tooLong);
    }

    private static long lines(Path p) { return read(p).lines().count(); }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new IllegalStateException(p + ": " + e.getMessage(), e);
        }
    }
}
