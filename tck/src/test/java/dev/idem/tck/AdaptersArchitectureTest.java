package dev.idem.tck;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import org.junit.jupiter.api.Test;

/**
 * The AspectJ adapter, the test support and this suite reach the engine only through its entry points
 * ({@code dev.idem.core.weaving} for the aspect), never its internals. (Spring's adapter is checked in its module; each
 * store by the store contract.)
 */
class AdaptersArchitectureTest {

    @Test
    void adaptersAndTestSupportImportNothingOfTheEngine() {
        ArchRuleDefinition.noClasses()
                .should().dependOnClassesThat().resideInAPackage("dev.idem.core.internal..")
                .check(new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.idem.aspect", "dev.idem.testing", "dev.idem.tck"));
    }
}
