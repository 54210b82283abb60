package dev.rebound.statusreporter;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.rebound.model.pipeline.ClusterFold;
import org.junit.jupiter.api.Test;

/**
 * The fold of a restore's events into its Velero status, results, volume info and item operations
 * is plain code: no broker, no storage, no HTTP, so it gives the same answer wherever it runs.
 */
class LayeringTest {

  private static final JavaClasses STATUS_REPORTER = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.rebound.statusreporter");

  @Test
  void theFoldOfARestoreTouchesNoServer() {
    noClasses().that().haveSimpleName("RestoreView").or().haveSimpleName("ClusterView")
        .or().haveSimpleName("RestoreResults").or().haveSimpleName("RestoreVolumeInfo")
        .or().haveSimpleName("RestoreItemOperations")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "io.smallrye.reactive.messaging..",
            "software.amazon..", "java.net.http..", "io.vertx..", "dev.rebound.storage..", "jakarta.ws..")
        .check(STATUS_REPORTER);
  }

  /** One fold of the restore log (issue 12 scope 8): a cluster's facts come from the coordinator's fold too. */
  @Test
  void aClustersFactsAreTheFoldTheCoordinatorBuildsOn() {
    classes().that().haveSimpleName("ClusterView").should().beAssignableTo(ClusterFold.class).check(STATUS_REPORTER);
  }
}
