package dev.rebound.itemrestorer.actions;

import static dev.rebound.itemrestorer.actions.ActionFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.model.Json;
import dev.rebound.model.velero.RestoreSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reference 4, {@code velero.io/service-account}: the legacy token secret reference is dropped. */
class ServiceAccountActionTest {

  private static final ServiceAccountAction ACTION = new ServiceAccountAction();

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      // rule | secrets[] names before (space-separated; '-' for no list) | after ('-' for no list)
      "token secret first is removed                  | bar-token-a1b2c a baz         | a baz",
      "token secret in the middle is removed          | a bar-token-a1b2c baz         | a baz",
      "token secret last is removed                   | a baz bar-token-a1b2c         | a baz",
      "no match keeps all                             | a bar-TOKN-nomatch baz        | a bar-TOKN-nomatch baz",
      "only the LAST of two matches is removed (quirk)| bar-token-1 a bar-token-2     | bar-token-1 a",
      "another SA's token secret is kept              | foo-token-x bar-tokens-y      | foo-token-x bar-tokens-y",
      "list left empty is removed                     | bar-token-only                | -",
      "no secrets list                                | -                             | -"
  })
  void tokenSecretReferenceIsRemovedPerReference4(String rule, String before, String after) throws Exception {
    ObjectNode sa = serviceAccount("bar", before);

    ActionOutput out = ACTION.execute(input(sa));

    assertEquals(serviceAccount("bar", after), out.item(), rule);
    assertFalse(out.skipRestore(), rule);
    assertEquals(List.of(), out.additionalItems(), rule);
  }

  @Test
  void otherFieldsOfTheSecretReferenceAndImagePullSecretsStayPerReference4() throws Exception {
    ObjectNode sa = (ObjectNode) json("{'kind':'ServiceAccount','metadata':{'name':'bar','namespace':'ns'},"
        + "'secrets':[{'name':'bar-token-x','namespace':'ns'},{'name':'extra','namespace':'ns','uid':'u'}],"
        + "'imagePullSecrets':[{'name':'bar-token-y'}],'automountServiceAccountToken':false}");

    ActionOutput out = ACTION.execute(input(sa));

    assertEquals(json("{'kind':'ServiceAccount','metadata':{'name':'bar','namespace':'ns'},"
        + "'secrets':[{'name':'extra','namespace':'ns','uid':'u'}],"
        + "'imagePullSecrets':[{'name':'bar-token-y'}],'automountServiceAccountToken':false}"), out.item());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "secrets not a list        | {'secrets':{'name':'x'}}       | cannot restore slice from map",
      "secret entry not an object| {'secrets':['bar-token-x']}    | cannot restore struct from: string",
      "secret name not text      | {'secrets':[{'name':1.5}]}     | unrecognized type: string"
  })
  void malformedServiceAccountFailsWithVelerosConversionErrorPerReference4(String rule, String sa, String error)
      throws Exception {
    ObjectNode item = (ObjectNode) json(sa);
    ActionException e = assertThrows(ActionException.class, () -> ACTION.execute(input(item)), rule);
    assertEquals("unable to convert serviceaccount from runtime.Unstructured: " + error, e.getMessage(), rule);
  }

  @Test
  void appliesToServiceAccountsOnlyUnderVelerosNamePerReference4() {
    assertEquals("velero.io/service-account", ACTION.name());
    assertTrue(ACTION.appliesTo("serviceaccounts"));
    assertFalse(ACTION.appliesTo("secrets"));
  }


  private static ObjectNode serviceAccount(String name, String secrets) throws Exception {
    ObjectNode sa = (ObjectNode) json("{'apiVersion':'v1','kind':'ServiceAccount','metadata':{'name':'" + name
        + "','namespace':'foo'}}");
    if (!secrets.equals("-")) {
      var list = sa.putArray("secrets");
      for (String secret : secrets.split(" ")) {
        list.addObject().put("name", secret);
      }
    }
    return sa;
  }

  private static ActionInput input(ObjectNode sa) {
    return new ActionInput(sa, sa.deepCopy(),
        new ActionInput.RestoreInfo("r", "uid", RestoreSpec.fromBackup("b")), ActionFixtures.NO_LOOKUPS);
  }

}
