package dev.rebound.itemrestorer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Only the item-restorer's messaging reaches Kafka: restoring an item (its preparation, Velero's
 * actions, resource modifiers, the restore steps) knows nothing of how the item arrived.
 */
class LayeringTest {

  private static final JavaClasses ITEM_RESTORER = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.rebound.itemrestorer");

  @Test
  void onlyMessagingReachesTheBroker() {
    noClasses().that().resideOutsideOfPackages("..itemrestorer.messaging..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "io.smallrye.reactive.messaging..",
            "dev.rebound.support.messaging..")
        .check(ITEM_RESTORER);
  }

  @Test
  void actionsAndModifiersCallNoServerThemselves() {
    noClasses().that().resideInAnyPackage("..itemrestorer.modifiers..", "..itemrestorer.prepare..")
        .should().dependOnClassesThat().resideInAnyPackage("..itemrestorer.kube..", "io.fabric8.kubernetes.client..",
            "java.net.http..")
        .check(ITEM_RESTORER);
  }
}
