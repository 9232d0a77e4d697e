package dev.idem.spring;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import org.junit.jupiter.api.Test;

/** The Spring adapter reaches the engine only through its entry points, never its internals. */
class SpringArchitectureTest {

    @Test
    void theSpringAdapterImportsNothingOfTheEngine() {
        ArchRuleDefinition.noClasses()
                .should().dependOnClassesThat().resideInAPackage("dev.idem.core.internal..")
                .check(new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.idem.spring"));
    }
}
