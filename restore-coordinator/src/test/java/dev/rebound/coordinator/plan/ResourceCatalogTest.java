package dev.rebound.coordinator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reference 3.3 step 1: names resolve through discovery as the RESTMapper resolves them. */
class ResourceCatalogTest {

  @ParameterizedTest(name = "\"{0}\" resolves to {1}")
  @CsvSource({
      "pods,pods",
      "pod,pods",
      "po,pods",
      "Pods,pods",
      "deployments,deployments.apps",
      "deployment,deployments.apps",
      "deploy,deployments.apps",
      "deployments.apps,deployments.apps",
      "rs.apps,replicasets.apps",
      "crd,customresourcedefinitions.apiextensions.k8s.io",
      "customresourcedefinitions,customresourcedefinitions.apiextensions.k8s.io",
      "storageclasses,storageclasses.storage.k8s.io",
      "events,events",
      "events.events.k8s.io,events.events.k8s.io",
      "widgets.example.com,widgets.example.com",
      "volumesnapshotclass.snapshot.storage.k8s.io,volumesnapshotclass.snapshot.storage.k8s.io",
      "'shop-*','shop-*'"})
  void namesResolveToGroupResourceOrStayAsWritten(String name, String groupResource) {
    assertEquals(groupResource, Catalogs.K8S_1_20.groupResourceOf(name));
  }
}
