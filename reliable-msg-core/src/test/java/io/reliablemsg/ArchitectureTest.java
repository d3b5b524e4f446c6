package io.reliablemsg;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Rules of docs/THREADING.md and the module's charter, checked on the compiled classes. */
class ArchitectureTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.reliablemsg");

    @Test
    void coreImportsSomething() {
        assertThat(CORE.size()).isGreaterThan(20);
    }

    @Test
    void coreDependsOnTheJdkOnly() {
        noClasses().should().dependOnClassesThat().resideOutsideOfPackages("io.reliablemsg..", "java..", "javax..")
                .check(CORE);
    }

    @Test
    void protocolClassesNeitherReadAClockNorStartThreads() {
        noClasses().that().resideInAnyPackage("io.reliablemsg.wire..", "io.reliablemsg.chain..",
                        "io.reliablemsg.receive..").or().haveFullyQualifiedName("io.reliablemsg.internal.Engine")
                .should().callMethod(System.class, "nanoTime")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().dependOnClassesThat().areAssignableTo(Thread.class)
                .check(CORE);
    }
}
