package dev.rebound.model.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reference 3.3 (matching) and 2.5 (validation) of Velero's include/exclude sets. */
class IncludesExcludesTest {

  static Stream<Arguments> inclusion() {
    return Stream.of(
        Arguments.of("empty includes include everything", "", "", "any", true),
        Arguments.of("star includes everything", "*", "", "any", true),
        Arguments.of("a listed name is included", "a,b", "", "b", true),
        Arguments.of("an unlisted name is not", "a,b", "", "c", false),
        Arguments.of("exclude wins over star", "*", "kube-system", "kube-system", false),
        Arguments.of("exclude wins over a glob include", "shop-*", "shop-test", "shop-test", false),
        Arguments.of("glob include matches", "shop-*", "shop-test", "shop-eu", true),
        Arguments.of("glob exclude with empty includes", "", "kube-*", "kube-public", false),
        Arguments.of("glob exclude leaves others", "", "kube-*", "default", true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inclusion")
  void shouldIncludeFollowsSection33(String name, String includes, String excludes, String value, boolean expected) {
    assertEquals(expected, new IncludesExcludes(list(includes), list(excludes)).shouldInclude(value));
  }

  static Stream<Arguments> everything() {
    return Stream.of(
        Arguments.of("", "", true),
        Arguments.of("*", "", true),
        Arguments.of("*", "kube-system", false),
        Arguments.of("a", "", false),
        Arguments.of("*,a", "", false));
  }

  @ParameterizedTest(name = "includes [{0}] excludes [{1}] is everything: {2}")
  @MethodSource("everything")
  void everythingMeansEmptyOrOnlyStarAndNoExcludes(String includes, String excludes, boolean expected) {
    assertEquals(expected, new IncludesExcludes(list(includes), list(excludes)).isEverything());
  }

  static Stream<Arguments> validation() {
    return Stream.of(
        Arguments.of("valid lists", "a,b", "c", List.of()),
        Arguments.of("star alone is valid", "*", "c", List.of()),
        Arguments.of("star mixed with items", "*,a", "",
            List.of("includes list must either contain '*' only, or a non-empty list of items")),
        Arguments.of("duplicate star counts once", "*,*", "", List.of()),
        Arguments.of("star in excludes", "a", "*", List.of("excludes list cannot contain '*'")),
        Arguments.of("exclude also included, reported in sorted order", "b,a", "b,a",
            List.of("excludes list cannot contain an item in the includes list: a",
                "excludes list cannot contain an item in the includes list: b")),
        Arguments.of("all three at once", "*,x", "*,x",
            List.of("includes list must either contain '*' only, or a non-empty list of items",
                "excludes list cannot contain '*'",
                "excludes list cannot contain an item in the includes list: *",
                "excludes list cannot contain an item in the includes list: x")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validation")
  void validateGivesVelerosMessagesInOrder(String name, String includes, String excludes, List<String> errors) {
    assertEquals(errors, IncludesExcludes.validate(list(includes), list(excludes)));
  }

  static List<String> list(String csv) {
    return csv.isEmpty() ? List.of() : Arrays.asList(csv.split(","));
  }
}
