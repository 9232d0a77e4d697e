package dev.idem.core.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.or;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.idem.core.Idempotency;
import dev.idem.core.IdempotentOperation;
import dev.idem.core.IdempotentResult;
import org.junit.jupiter.api.Test;

/**
 * The layers of idem-core, checked on its class files: the SPI imports nothing of the engine, the engine imports
 * nothing of the entry points, and events are plain values. (That each store imports only the SPI is checked by the
 * store contract suite in idem-tck, for every store that runs it.)
 */
class ArchitectureTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.idem.core");

    @Test
    void theSpiImportsNothingOfTheEngine() {
        noClasses().that().resideInAPackage("dev.idem.core.spi..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.idem.core.internal..", "dev.idem.core.weaving..")
                .because("a store author needs the SPI alone, and the engine may change behind it")
                .check(CORE);
    }

    @Test
    void theEngineImportsNothingOfTheEntryPoints() {
        noClasses().that().resideInAPackage("dev.idem.core.internal..")
                .should().dependOnClassesThat(or(resideInAPackage("dev.idem.core.weaving.."),
                        type(Idempotency.class), type(IdempotentOperation.class), type(IdempotentResult.class)))
                .because("every entry point calls the engine, never the other way round")
                .check(CORE);
    }

    @Test
    void eventsImportNothingOfTheEngine() {
        noClasses().that().resideInAPackage("dev.idem.core.event..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.idem.core.internal..", "dev.idem.core.spi..",
                        "dev.idem.core.weaving..")
                .check(CORE);
    }
}
