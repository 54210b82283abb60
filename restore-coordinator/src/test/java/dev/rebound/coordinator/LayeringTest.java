package dev.rebound.coordinator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.rebound.model.pipeline.ClusterFold;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's layers (DESIGN, "A control plane that scales out"): reading backups and
 * planning restores, and the state of a restore run, touch neither Kafka nor an HTTP client; only
 * the pipeline's drivers talk to the broker, and only through service-support and SmallRye.
 */
class LayeringTest {

  private static final JavaClasses COORDINATOR = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.rebound.coordinator");

  private static final String[] MESSAGING = {"org.apache.kafka..", "io.smallrye.reactive.messaging..",
      "dev.rebound.support.messaging..", "dev.rebound.support.events.."};
  private static final String[] HTTP = {"java.net.http..", "io.vertx..", "software.amazon.awssdk.http.."};

  @Test
  void planningNeitherMessagesNorCallsServersItself() {
    noClasses().that().resideInAnyPackage("..coordinator.plan..", "..coordinator.archive..", "..coordinator.order..",
        "..coordinator.filter..", "..coordinator.validation..")
        .should().dependOnClassesThat().resideInAnyPackage(MESSAGING).check(COORDINATOR);
    noClasses().that().resideInAnyPackage("..coordinator.plan..", "..coordinator.archive..", "..coordinator.order..",
        "..coordinator.filter..", "..coordinator.validation..")
        .should().dependOnClassesThat().resideInAnyPackage(HTTP).check(COORDINATOR);
  }

  @Test
  void aRestoreRunsStateAndItsDecisionsHaveNoKafkaAndNoHttp() {
    noClasses().that().haveSimpleNameStartingWith("RestoreRun").or().haveSimpleName("ExecutionWave")
        .or().haveSimpleNameStartingWith("RunMachine")
        .or().haveSimpleName("WaveProgress").or().haveSimpleName("Released")
        .should().dependOnClassesThat().resideInAnyPackage(MESSAGING).orShould().dependOnClassesThat()
        .resideInAnyPackage(HTTP).orShould().dependOnClassesThat().resideInAnyPackage("io.fabric8..")
        .check(COORDINATOR);
  }

  /** One fold of the restore log (issue 12 scope 8): a run's facts come from the status-reporter's fold too. */
  @Test
  void aClusterRunIsTheFoldTheStatusReporterBuildsOn() {
    classes().that().haveSimpleName("ClusterRun").should().beAssignableTo(ClusterFold.class).check(COORDINATOR);
  }

  @Test
  void onlyThePipelineAndTheServiceBeansReachTheBroker() {
    noClasses().that().resideOutsideOfPackages("..coordinator.pipeline..", "..coordinator.config..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "io.smallrye.reactive.messaging..")
        .check(COORDINATOR);
  }
}
