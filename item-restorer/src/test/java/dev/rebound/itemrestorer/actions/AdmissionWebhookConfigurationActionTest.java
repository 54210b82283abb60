package dev.rebound.itemrestorer.actions;

import static dev.rebound.itemrestorer.actions.ActionFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.model.Json;
import dev.rebound.model.velero.RestoreSpec;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reference 4, {@code velero.io/admission-webhook-configuration} (Velero's
 * {@code admissionwebhook_config_action.go}): v1 webhooks get a valid {@code sideEffects}.
 * JSON in these tables is written with single quotes.
 */
class AdmissionWebhookConfigurationActionTest {


  private static ObjectNode configuration(String kind, String apiVersion, String webhooks) throws Exception {
    ObjectNode item = (ObjectNode) json("{'kind':'" + kind + "','metadata':{'name':'hooks'}}");
    if (apiVersion != null) {
      item.set("apiVersion", json(apiVersion));
    }
    if (webhooks != null) {
      item.set("webhooks", json(webhooks));
    }
    return item;
  }

  private static ActionOutput run(ObjectNode item) throws ActionException {
    return new AdmissionWebhookConfigurationAction().execute(new ActionInput(item, item.deepCopy(),
        new ActionInput.RestoreInfo("r", "uid", RestoreSpec.fromBackup("b")), null));
  }

  static Stream<Arguments> sideEffects() {
    return Stream.of(
        Arguments.of("v1beta1's Unknown is invalid in v1", "'Unknown'", "None"),
        Arguments.of("v1beta1's Some is invalid in v1", "'Some'", "None"),
        Arguments.of("None is kept", "'None'", "None"),
        Arguments.of("NoneOnDryRun is kept", "'NoneOnDryRun'", "NoneOnDryRun"),
        Arguments.of("the comparison is case-sensitive", "'none'", "None"),
        Arguments.of("empty string is invalid", "''", "None"),
        Arguments.of("missing sideEffects is set", null, "None"),
        Arguments.of("a non-string value reads as empty and is replaced", "5", "None"),
        Arguments.of("null reads as empty and is replaced", "null", "None"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sideEffects")
  void v1WebhooksGetAValidSideEffects(String rule, String sideEffects, String expected) throws Exception {
    for (String kind : new String[] {"MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"}) {
      String webhook = "{'name':'a.example.com','clientConfig':{'url':'https://a.example.com'}"
          + (sideEffects == null ? "" : ",'sideEffects':" + sideEffects) + "}";
      ObjectNode item = configuration(kind, "'admissionregistration.k8s.io/v1'", "[" + webhook + "]");
      ActionOutput out = run(item);
      assertSame(item, out.item(), rule);
      assertFalse(out.skipRestore(), rule);
      assertEquals(expected, out.item().at("/webhooks/0/sideEffects").asText(), kind + ": " + rule);
      assertEquals("https://a.example.com", out.item().at("/webhooks/0/clientConfig/url").asText(), rule);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "each webhook on its own | [{'name':'a','sideEffects':'Some'},{'name':'b','sideEffects':'NoneOnDryRun'},{'name':'c'}] | [{'name':'a','sideEffects':'None'},{'name':'b','sideEffects':'NoneOnDryRun'},{'name':'c','sideEffects':'None'}]",
      "an empty list stays empty | [] | []",
      // Velero's converter cannot make a map of a list: the entry is logged and dropped.
      "a list entry is dropped | [['x'],{'name':'a','sideEffects':'Unknown'}] | [{'name':'a','sideEffects':'None'}]",
      "other fields are untouched | [{'name':'a','sideEffects':'None','timeoutSeconds':5,'rules':[{'operations':['CREATE']}]}] | [{'name':'a','sideEffects':'None','timeoutSeconds':5,'rules':[{'operations':['CREATE']}]}]"
  })
  void webhookListsAreRewrittenEntryByEntry(String rule, String webhooks, String expected) throws Exception {
    ObjectNode item = configuration("ValidatingWebhookConfiguration", "'admissionregistration.k8s.io/v1'", webhooks);
    assertEquals(json(expected), run(item).item().get("webhooks"), rule);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', nullValues = "-", value = {
      "v1beta1 is left alone    | 'admissionregistration.k8s.io/v1beta1' | [{'name':'a','sideEffects':'Unknown'}]",
      "no apiVersion: left alone | -                                     | [{'name':'a','sideEffects':'Unknown'}]",
      "v1 without webhooks       | 'admissionregistration.k8s.io/v1'      | -",
      // Only v1 items are looked at: a malformed list in another version is no error.
      "v1beta1 with a bad list   | 'admissionregistration.k8s.io/v1beta1' | 'not a list'"
  })
  void itemsOutsideTheRuleAreUnchanged(String rule, String apiVersion, String webhooks) throws Exception {
    ObjectNode item = configuration("MutatingWebhookConfiguration", apiVersion, webhooks);
    ObjectNode before = item.deepCopy();
    ActionOutput out = run(item);
    assertEquals(before, out.item(), rule);
    assertFalse(out.skipRestore(), rule);
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("apiVersion not a string", "5", "[]",
            "failed to get the apiVersion from input item: .apiVersion accessor error: 5 is of the type int64,"
                + " expected string"),
        Arguments.of("webhooks null", "'admissionregistration.k8s.io/v1'", "null",
            "failed to get webhooks slice from input item: .webhooks accessor error: <nil> is of the type <nil>,"
                + " expected []interface{}"),
        Arguments.of("webhooks a string", "'admissionregistration.k8s.io/v1'", "'x'",
            "failed to get webhooks slice from input item: .webhooks accessor error: x is of the type string,"
                + " expected []interface{}"),
        Arguments.of("webhooks an object, printed as Go prints maps", "'admissionregistration.k8s.io/v1'",
            "{'b':[1,'x',null,true],'a':1.5e-7}",
            "failed to get webhooks slice from input item: .webhooks accessor error: map[a:1.5e-07 b:[1 x <nil> true]]"
                + " is of the type map[string]interface {}, expected []interface{}"),
        // Velero's converter panics on these entries; its plugin server reports the panic.
        Arguments.of("a string entry", "'admissionregistration.k8s.io/v1'", "[{'name':'a'},'x']",
            "plugin panicked: reflect.Set: value of type string is not assignable to type map[string]interface {}"),
        Arguments.of("a number entry", "'admissionregistration.k8s.io/v1'", "[2.5]",
            "plugin panicked: reflect.Set: value of type float64 is not assignable to type map[string]interface {}"),
        Arguments.of("a null entry", "'admissionregistration.k8s.io/v1'", "[null]",
            "plugin panicked: assignment to entry in nil map"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedItemsFailWithVelerosMessage(String rule, String apiVersion, String webhooks, String message)
      throws Exception {
    ObjectNode item = configuration("MutatingWebhookConfiguration", apiVersion, webhooks);
    ActionException e = assertThrows(ActionException.class, () -> run(item), rule);
    assertEquals(message, e.getMessage(), rule);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "mutatingwebhookconfigurations.admissionregistration.k8s.io, true",
      "validatingwebhookconfigurations.admissionregistration.k8s.io, true",
      "validatingadmissionpolicies.admissionregistration.k8s.io, false",
      "mutatingwebhookconfigurations, false",
      "services, false"
  })
  void appliesToBothWebhookConfigurationResources(String groupResource, boolean applies) {
    assertEquals(applies, new AdmissionWebhookConfigurationAction().appliesTo(groupResource));
    assertEquals("velero.io/admission-webhook-configuration", new AdmissionWebhookConfigurationAction().name());
  }
}
