package org.wikiedits.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package layout as rules (issue 18, docs/architecture.md "Packages by role"): a change that breaks
 * it fails {@code mvn verify} with the rule's name and its reason. Over the main classes (the Lambda
 * handlers included: lambdas/src is compiled into target/classes); the rule on the root package also
 * covers the test classes.
 */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.wikiedits");
    private static final JavaClasses MAIN_AND_TESTS = new ClassFileImporter().importPackages("org.wikiedits");

    @Test
    void packagesAreLayeredTopToBottom() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("app").definedBy("org.wikiedits.app..")
                .layer("wiring").definedBy("org.wikiedits.wiring..")
                .layer("features").definedBy("org.wikiedits.dashboard..", "org.wikiedits.ops..", "org.wikiedits.reload..",
                        "org.wikiedits.replay..", "org.wikiedits.query..")
                .layer("sinks").definedBy("org.wikiedits.sink..", "org.wikiedits.detect..")
                .layer("sources").definedBy("org.wikiedits.source..")
                .layer("delivery").definedBy("org.wikiedits.delivery..")
                .layer("commit").definedBy("org.wikiedits.commit..")
                .layer("config").definedBy("org.wikiedits.config..")
                .layer("transform").definedBy("org.wikiedits.transform..")
                .layer("lambda").definedBy("org.wikiedits.lambda..")
                .whereLayer("app").mayNotBeAccessedByAnyLayer()
                .whereLayer("wiring").mayOnlyBeAccessedByLayers("app")
                .whereLayer("features").mayOnlyBeAccessedByLayers("app", "wiring")
                .whereLayer("sinks").mayOnlyBeAccessedByLayers("app", "wiring", "features")
                .whereLayer("sources").mayOnlyBeAccessedByLayers("app", "wiring", "features", "sinks")
                .whereLayer("delivery").mayOnlyBeAccessedByLayers("app", "wiring", "features", "sinks", "sources")
                .whereLayer("commit").mayOnlyBeAccessedByLayers("app", "wiring", "features", "sinks", "sources", "delivery")
                .whereLayer("config").mayOnlyBeAccessedByLayers("app", "wiring", "features", "sinks", "delivery", "sources",
                        "commit")
                .whereLayer("transform").mayOnlyBeAccessedByLayers("app", "wiring", "features", "sinks", "delivery", "sources",
                        "commit", "config", "lambda")
                .whereLayer("lambda").mayNotBeAccessedByAnyLayer()
                .ensureAllClassesAreContainedInArchitecture()
                .because("an arrow only points down (app -> wiring -> dashboard/ops/reload/replay/query -> sinks -> sources"
                        + " -> delivery -> commit -> config -> transform), so each floor can be read, tested and changed"
                        + " without the ones above it; a class in no layer is a package the layout does not know")
                .check(MAIN);
    }

    @Test
    void noPackageCycles() {
        // "org.(**)": one slice per package, subpackages and the root package org.wikiedits included
        // ("org.wikiedits.(*).." would leave the root package out and merge subpackages into their parent)
        slices().matching("org.(**)").should().beFreeOfCycles()
                .because("a cycle makes its packages one lump: none can be understood, tested or moved alone")
                .check(MAIN);
    }

    @Test
    void rootPackageHoldsNoClass() {
        noClasses().should().resideInAPackage("org.wikiedits")
                .because("every class lives in the package of its role (app, wiring, config, commit, ...); the root"
                        + " package once held the top and the ground floor at once and tied every package into one cycle")
                .check(MAIN_AND_TESTS);
    }

    @Test
    void transformUsesOnlyJavaJacksonAndCommonsCsv() {
        classes().that().resideInAPackage("org.wikiedits.transform..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "com.fasterxml.jackson..",
                        "org.apache.commons.csv..", "org.wikiedits.transform..")
                .because("transform is what the Firehose Lambdas ship: no Camel, AWS SDK or OpenSearch class may come along")
                .check(MAIN);
    }

    @Test
    void lambdaHandlersUseOnlyTheLambdaRuntimeAndTransform() {
        classes().that().resideInAPackage("org.wikiedits.lambda..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "com.fasterxml.jackson..",
                        "org.apache.commons.csv..", "com.amazonaws.services.lambda.runtime..", "org.wikiedits.transform..",
                        "org.wikiedits.lambda..")
                .because("the Lambda zips hold transform, the handlers, Jackson, commons-csv and aws-lambda-java-core only"
                        + " (lambdas/assembly): anything else fails at the first invocation, not at build time")
                .check(MAIN);
    }
}
