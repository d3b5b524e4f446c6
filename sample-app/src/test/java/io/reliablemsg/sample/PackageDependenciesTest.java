package io.reliablemsg.sample;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Proves the layering of the sample app on its compiled classes: the node (this package) never
 * refers to the demo built on it ({@code demo}: the launcher, the fault switch and the jar's main
 * class), so the packages form no cycle.
 */
class PackageDependenciesTest {
    private static final JavaClasses SAMPLE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.reliablemsg.sample");

    @Test
    void importsTheNodeAndTheDemo() {
        assertThat(SAMPLE.contain(SampleApplication.class)).isTrue();
        assertThat(SAMPLE.containPackage("io.reliablemsg.sample.demo")).isTrue();
    }

    @Test
    void theNodeDependsOnNothingOfTheDemo() {
        noClasses().that().resideInAPackage("io.reliablemsg.sample")
                .should().dependOnClassesThat().resideInAPackage("io.reliablemsg.sample.demo..")
                .check(SAMPLE);
    }

    @Test
    void packagesFormNoCycle() {
        slices().matching("io.reliablemsg.(**)").should().beFreeOfCycles().check(SAMPLE);
    }
}
