package dev.rebound.itemrestorer.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.model.Json;
import dev.rebound.model.velero.RestoreSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reference 4 and 3.10, {@code velero.io/apiservice} (Velero's {@code apiservice_action.go}):
 * APIServices that Kubernetes registers itself are skipped, selected by the bare label key
 * {@code kube-aggregator.kubernetes.io/automanaged}. JSON here is written with single quotes.
 */
class ApiServiceActionTest {

  private static ActionOutput run(ObjectNode item) throws ActionException {
    return new ApiServiceAction().execute(new ActionInput(item, item.deepCopy(),
        new ActionInput.RestoreInfo("r", "uid", RestoreSpec.fromBackup("b")), null));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "automanaged onstart: skipped      | {'kube-aggregator.kubernetes.io/automanaged':'onstart'}        | true",
      "automanaged true: skipped         | {'kube-aggregator.kubernetes.io/automanaged':'true'}           | true",
      "any value, even empty: skipped    | {'kube-aggregator.kubernetes.io/automanaged':'','app':'x'}     | true",
      "no labels: restored               | null                                                            | false",
      "other labels only: restored       | {'app':'metrics-server'}                                        | false",
      "a similar key is not the label    | {'kube-aggregator.kubernetes.io/automanaged-x':'true'}         | false",
      // Velero's GetLabels() yields no labels when a value is not a string, so the selector misses.
      "a non-string label value hides it | {'kube-aggregator.kubernetes.io/automanaged':'true','n':5}      | false"
  })
  void automanagedApiServicesAreSkipped(String rule, String labels, boolean skipped) throws Exception {
    ObjectNode item = (ObjectNode) Json.mapper().readTree(("{'apiVersion':'apiregistration.k8s.io/v1',"
        + "'kind':'APIService','metadata':{'name':'v1beta1.metrics.k8s.io'"
        + (labels.equals("null") ? "" : ",'labels':" + labels) + "},"
        + "'spec':{'group':'metrics.k8s.io','version':'v1beta1'}}").replace('\'', '"'));
    ObjectNode before = item.deepCopy();
    ActionOutput out = run(item);
    assertEquals(skipped, out.skipRestore(), rule);
    assertSame(item, out.item(), rule);
    assertEquals(before, out.item(), "the item itself is never changed: " + rule);
    assertEquals(0, out.additionalItems().size(), rule);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "apiservices.apiregistration.k8s.io, true",
      "apiservices, false",
      "customresourcedefinitions.apiextensions.k8s.io, false"
  })
  void appliesToApiServicesOnly(String groupResource, boolean applies) {
    assertEquals(applies, new ApiServiceAction().appliesTo(groupResource));
    assertEquals("velero.io/apiservice", new ApiServiceAction().name());
  }
}
