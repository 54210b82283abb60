package dev.rebound.model;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The model every service shares is data and its rules: it reaches no server and no framework. */
class LayeringTest {

  private static final JavaClasses MODEL = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.rebound.model");

  @Test
  void theModelDependsOnTheJdkAndJacksonOnly() {
    classes().should().onlyDependOnClassesThat().resideInAnyPackage("dev.rebound.model..", "java..", "javax.crypto..",
        "com.fasterxml.jackson..").check(MODEL);
  }
}
