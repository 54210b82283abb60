package dev.rebound.itemrestorer.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rebound.model.Json;
import dev.rebound.model.velero.LabelSelector;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reference 3.13: a restore hook's labelSelector, as apimachinery's LabelSelectorAsSelector. */
class LabelSelectorMatcherTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      // rule | selector | labels | matches
      "empty selector matches everything          | {}                                                              | {}                  | true",
      "matchLabels equal                          | {'matchLabels':{'app':'db'}}                                    | {'app':'db','x':'y'} | true",
      "matchLabels other value                    | {'matchLabels':{'app':'db'}}                                    | {'app':'web'}       | false",
      "matchLabels missing key                    | {'matchLabels':{'app':'db'}}                                    | {}                  | false",
      "matchLabels all must hold                  | {'matchLabels':{'app':'db','tier':'be'}}                        | {'app':'db'}        | false",
      "matchLabels empty value                    | {'matchLabels':{'app':''}}                                      | {'app':''}          | true",
      "In listed value                            | {'matchExpressions':[{'key':'app','operator':'In','values':['a','b']}]}    | {'app':'b'} | true",
      "In unlisted value                          | {'matchExpressions':[{'key':'app','operator':'In','values':['a','b']}]}    | {'app':'c'} | false",
      "In missing key                             | {'matchExpressions':[{'key':'app','operator':'In','values':['a']}]}        | {}          | false",
      "NotIn unlisted value                       | {'matchExpressions':[{'key':'app','operator':'NotIn','values':['a']}]}     | {'app':'c'} | true",
      "NotIn listed value                         | {'matchExpressions':[{'key':'app','operator':'NotIn','values':['a']}]}     | {'app':'a'} | false",
      "NotIn missing key matches                  | {'matchExpressions':[{'key':'app','operator':'NotIn','values':['a']}]}     | {}          | true",
      "Exists present                             | {'matchExpressions':[{'key':'app','operator':'Exists'}]}                   | {'app':''}  | true",
      "Exists absent                              | {'matchExpressions':[{'key':'app','operator':'Exists'}]}                   | {}          | false",
      "DoesNotExist absent                        | {'matchExpressions':[{'key':'app','operator':'DoesNotExist'}]}             | {'b':'c'}   | true",
      "DoesNotExist present                       | {'matchExpressions':[{'key':'app','operator':'DoesNotExist'}]}             | {'app':'x'} | false",
      "labels and expressions both must hold      | {'matchLabels':{'a':'1'},'matchExpressions':[{'key':'b','operator':'Exists'}]} | {'a':'1'} | false",
      "prefixed key                               | {'matchLabels':{'app.kubernetes.io/name':'db'}}                 | {'app.kubernetes.io/name':'db'} | true"
  })
  void selectorMatchesLabelsLikeKubernetesPerReference313(String rule, String selector, String labels, boolean matches)
      throws Exception {
    LabelSelector s = Json.mapper().readValue(selector.replace('\'', '"'), LabelSelector.class);
    @SuppressWarnings("unchecked")
    Map<String, String> l = Json.mapper().readValue(labels.replace('\'', '"'), Map.class);

    assertEquals(matches, LabelSelectorMatcher.compile(s).matches(l), rule);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "unknown operator                 | {'matchExpressions':[{'key':'a','operator':'Gt','values':['1']}]} "
          + "| `Gt` is not a valid label selector operator",
      "In without values                | {'matchExpressions':[{'key':'a','operator':'In'}]} "
          + "| values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty",
      "Exists with values               | {'matchExpressions':[{'key':'a','operator':'Exists','values':['x','y']}]} "
          + "| values: Invalid value: []string{`x`, `y`}: values set must be empty for exists and does not exist",
      "label value with a space         | {'matchLabels':{'app':'my db'}} "
          + "| values[0][app]: Invalid value: `my db`: a valid label must be an empty string or consist of alphanumeric "
          + "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
          + "'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
      "key with a space                 | {'matchExpressions':[{'key':'my app','operator':'Exists'}]} "
          + "| key: Invalid value: `my app`: name part must consist of alphanumeric characters, '-', '_' or '.', "
          + "and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', "
          + "regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      "bad key and no values aggregate  | {'matchExpressions':[{'key':'/x','operator':'NotIn'}]} "
          + "| [key: Invalid value: `/x`: prefix part must be non-empty, values: Invalid value: []string(nil): "
          + "for 'in', 'notin' operators, values set can't be empty]"
  })
  void invalidSelectorFailsWithApimachineryWordsPerReference313(String rule, String selector, String error)
      throws Exception {
    LabelSelector s = Json.mapper().readValue(selector.replace('\'', '"'), LabelSelector.class);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabelSelectorMatcher.compile(s), rule);
    assertEquals(error.replace('`', '"'), e.getMessage(), rule);
  }
}
