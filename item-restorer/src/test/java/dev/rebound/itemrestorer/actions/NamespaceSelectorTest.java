package dev.rebound.itemrestorer.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reference 3.13: a restore hook's includedNamespaces/excludedNamespaces, matched as Velero's
 * {@code IncludesExcludes} with gobwas globs.
 */
class NamespaceSelectorTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      // rule | includes (space-separated, '-' none) | excludes | namespace | included
      "no filter includes everything               | -            | -        | prod    | true",
      "star includes everything                    | *            | -        | prod    | true",
      "exact name                                  | prod         | -        | prod    | true",
      "other name                                  | prod         | -        | dev     | false",
      "exact match, not prefix                     | prod         | -        | prod-eu | false",
      "exclude wins over include                   | prod         | prod     | prod    | false",
      "exclude wins over star                      | *            | prod     | prod    | false",
      "exclude alone keeps the rest                | -            | kube-*   | prod    | true",
      "exclude glob                                | -            | kube-*   | kube-system | false",
      "include glob star                           | prod-*       | -        | prod-eu | true",
      "include glob star matches empty rest        | prod-*       | -        | prod-   | true",
      "question mark is one character              | ns?          | -        | ns1     | true",
      "question mark is exactly one character      | ns?          | -        | ns12    | false",
      "character list                              | ns[abc]      | -        | nsb     | true",
      "negated character list                      | ns[!abc]     | -        | nsb     | false",
      "negated character list other char           | ns[!abc]     | -        | nsd     | true",
      "character range                             | ns[0-9]      | -        | ns7     | true",
      "negated range                               | ns[!0-9]     | -        | ns7     | false",
      "alternatives                                | {prod,dev}-x | -        | dev-x   | true",
      "alternatives miss                           | {prod,dev}-x | -        | qa-x    | false",
      "nested alternatives                         | a{b,c{d,e}}  | -        | ace     | true",
      "unclosed brace is closed at the end         | {prod,dev    | -        | dev     | true",
      "closing brace outside alternatives is plain | a}b          | -        | a}b     | true",
      "comma outside alternatives is plain         | a,b          | -        | a,b     | true",
      "escaped star is literal                     | a\\*         | -        | a*      | true",
      "escaped star does not glob                  | a\\*         | -        | ab      | false",
      "dot is literal                              | a.b          | -        | axb     | false",
      "double star is any run                      | a**          | -        | abc     | true",
      "two ranges in one bracket is invalid        | ns[a-cx-z]   | -        | nsb     | false",
      "unclosed bracket is invalid: no match       | ns[a         | -        | ns[a    | false",
      "empty brackets are invalid                  | ns[]         | -        | ns      | false",
      "invalid entry hides later entries (quirk)   | [bad prod    | -        | prod    | false",
      "invalid entry after a match is harmless     | ab prod[     | -        | ab      | true",
      "invalid exclude excludes nothing            | -            | [bad     | prod    | true",
      "star include is literal, not glob, check    | * [bad       | -        | prod    | true"
  })
  void namespaceFilterMatchesLikeVeleroPerReference313(String rule, String includes, String excludes, String namespace,
      boolean included) {
    assertEquals(included, new NamespaceSelector(list(includes), list(excludes)).includes(namespace), rule);
  }

  private static List<String> list(String spaceSeparated) {
    return spaceSeparated.equals("-") ? List.of() : Arrays.asList(spaceSeparated.split(" "));
  }
}
