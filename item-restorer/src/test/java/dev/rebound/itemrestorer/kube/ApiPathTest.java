package dev.rebound.itemrestorer.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Where each backed-up resource is created: the group from its directory, the version from the object (reference 3.9). */
class ApiPathTest {

  @ParameterizedTest(name = "{0} {1} in \"{2}\"")
  @CsvSource(delimiter = '|', value = {
      "configmaps                                      | v1                           | shop | /api/v1/namespaces/shop/configmaps",
      "namespaces                                      | v1                           |      | /api/v1/namespaces",
      "deployments.apps                                | apps/v1                      | shop | /apis/apps/v1/namespaces/shop/deployments",
      "customresourcedefinitions.apiextensions.k8s.io | apiextensions.k8s.io/v1      |      | /apis/apiextensions.k8s.io/v1/customresourcedefinitions",
      "widgets.example.rebound.dev                     | example.rebound.dev/v1alpha1 | shop | /apis/example.rebound.dev/v1alpha1/namespaces/shop/widgets"
  })
  void collectionPaths(String groupResource, String apiVersion, String namespace, String expected) {
    assertEquals(expected, ApiPath.of(groupResource, apiVersion, namespace).collection());
  }

  @ParameterizedTest
  @CsvSource({"web-config,/api/v1/namespaces/shop/configmaps/web-config", "a:b,/api/v1/namespaces/shop/configmaps/a%3Ab"})
  void itemNamesAreEncoded(String name, String expected) {
    assertEquals(expected, ApiPath.of("configmaps", "v1", "shop").item(name));
  }
}
