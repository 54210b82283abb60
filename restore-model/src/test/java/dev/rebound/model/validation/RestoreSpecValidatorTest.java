package dev.rebound.model.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebound.model.Json;
import dev.rebound.model.velero.Restore;
import dev.rebound.model.velero.RestoreSpec;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reference 2.5 steps 1-7: every validation message, in Velero's order. */
class RestoreSpecValidatorTest {

  /** A spec from YAML, as a user writes it; {@code backupName: b1} unless the YAML names a source. */
  static RestoreSpec spec(String yaml) {
    try {
      String body = yaml.contains("backupName") || yaml.contains("scheduleName") ? yaml : "backupName: b1\n" + yaml;
      return Json.yaml().readValue("spec:\n" + body.indent(2), Restore.class).spec();
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("2.5 a valid spec has no errors", "includedNamespaces: [a]\n", List.of()),
        Arguments.of("2.5.1 including a never-restored resource also conflicts with its appended exclusion",
            "includedResources: [nodes]\n", List.of(
                "nodes are non-restorable resources",
                "Invalid included/excluded resource lists: excludes list cannot contain an item in the includes list: nodes")),
        Arguments.of("2.5.1 messages follow the never-restored list's order",
            "includedResources: [restores.velero.io, events]\n", List.of(
                "events are non-restorable resources",
                "restores.velero.io are non-restorable resources",
                "Invalid included/excluded resource lists: excludes list cannot contain an item in the includes list: events",
                "Invalid included/excluded resource lists: excludes list cannot contain an item in the includes list: restores.velero.io")),
        Arguments.of("2.5.2 star mixed with resources", "includedResources: ['*', pods]\n",
            List.of("Invalid included/excluded resource lists: includes list must either contain '*' only, or a non-empty list of items")),
        Arguments.of("2.5.2 star among excluded resources", "excludedResources: ['*']\n",
            List.of("Invalid included/excluded resource lists: excludes list cannot contain '*'")),
        Arguments.of("2.5.2 resource both included and excluded", "includedResources: [pods]\nexcludedResources: [pods]\n",
            List.of("Invalid included/excluded resource lists: excludes list cannot contain an item in the includes list: pods")),
        Arguments.of("2.5.3 namespace both included and excluded", "includedNamespaces: [a, b]\nexcludedNamespaces: [b]\n",
            List.of("Invalid included/excluded namespace lists: excludes list cannot contain an item in the includes list: b")),
        Arguments.of("2.5.3 star among excluded namespaces", "excludedNamespaces: ['*']\n",
            List.of("Invalid included/excluded namespace lists: excludes list cannot contain '*'")),
        Arguments.of("2.5.3 star mixed with namespaces", "includedNamespaces: ['*', a]\n",
            List.of("Invalid included/excluded namespace lists: includes list must either contain '*' only, or a non-empty list of items")),
        Arguments.of("3.3 a malformed namespace glob is refused up front", "includedNamespaces: ['shop-[eu']\n",
            List.of("Invalid included/excluded namespace lists: invalid glob pattern \"shop-[eu\": unclosed '['")),
        Arguments.of("3.3 a malformed resource glob is refused up front", "excludedResources: ['{a,b']\n",
            List.of("Invalid included/excluded resource lists: invalid glob pattern \"{a,b\": unclosed '{'")),
        Arguments.of("3.3.6 an invalid labelSelector operator is refused up front",
            "labelSelector: {matchExpressions: [{key: app, operator: Matches, values: [x]}]}\n",
            List.of("Invalid labelSelector: \"Matches\" is not a valid label selector operator")),
        Arguments.of("3.3.6 an orLabelSelector with Exists and values is refused up front",
            "orLabelSelectors: [{matchExpressions: [{key: app, operator: Exists, values: [x]}]}]\n",
            List.of("Invalid orLabelSelectors: values set must be empty for exists and does not exist")),
        Arguments.of("2.5.4 labelSelector and orLabelSelectors together",
            "labelSelector: {matchLabels: {a: b}}\norLabelSelectors: [{matchLabels: {c: d}}]\n",
            List.of("encountered labelSelector as well as orLabelSelectors in restore spec, only one can be specified")),
        Arguments.of("2.5.5 neither backup nor schedule", "scheduleName: ''\n",
            List.of("Either a backup or schedule must be specified as a source for the restore, but not both")),
        Arguments.of("2.5.5 both backup and schedule", "backupName: b1\nscheduleName: daily\n",
            List.of("Either a backup or schedule must be specified as a source for the restore, but not both")),
        Arguments.of("2.5.6 init container without image",
            "hooks: {resources: [{name: h, postHooks: [{init: {initContainers: [{name: c, command: [sh]}]}}]}]}\n",
            List.of("invalid InitContainer in restore hook, it doesn't have Command, Name or Image field")),
        Arguments.of("2.5.6 init container with an empty command",
            "hooks: {resources: [{name: h, postHooks: [{init: {initContainers: [{name: c, image: i, command: []}]}}]}]}\n",
            List.of("invalid InitContainer in restore hook, it doesn't have Command, Name or Image field")),
        Arguments.of("2.5.6 a complete init container is valid",
            "hooks: {resources: [{name: h, postHooks: [{init: {initContainers: [{name: c, image: i, command: [sh]}]}}]}]}\n",
            List.of()),
        Arguments.of("2.5.6 an invalid hook selector operator stops hook conversion",
            "hooks: {resources: [{name: h, labelSelector: {matchExpressions: [{key: a, operator: Foo}]},"
                + " postHooks: [{init: {initContainers: [{name: c}]}}]}]}\n",
            List.of("\"Foo\" is not a valid label selector operator")),
        Arguments.of("2.5.6 In without values in a hook selector",
            "hooks: {resources: [{name: h, labelSelector: {matchExpressions: [{key: a, operator: In}]}}]}\n",
            List.of("for 'in', 'notin' operators, values set can't be empty")),
        Arguments.of("2.5.7 an unknown existing resource policy", "existingResourcePolicy: replace\n",
            List.of("Invalid ExistingResourcePolicy: replace")),
        Arguments.of("2.5.7 update is a valid policy", "existingResourcePolicy: update\n", List.of()),
        Arguments.of("2.5.7 none is a valid policy", "existingResourcePolicy: none\n", List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void validationErrorsAreVelerosInVelerosOrder(String name, String yaml, List<String> expected) {
    assertEquals(expected, RestoreSpecValidator.validate(spec(yaml)).errors());
  }

  @Test
  void missingSourceStopsBeforeTheHookAndPolicyChecks() {
    RestoreSpecValidator.Outcome outcome = RestoreSpecValidator.validate(spec(
        "scheduleName: ''\nexistingResourcePolicy: replace\n"));
    assertTrue(outcome.stop());
    assertEquals(1, outcome.errors().size());
  }

  @Test
  void neverRestoredResourcesAreAppendedToExcludedResourcesOnceInVelerosOrder() {
    RestoreSpec completed = RestoreSpecValidator.validate(spec("excludedResources: [secrets, events]\n")).spec();
    assertEquals(List.of("secrets", "events", "nodes", "events.events.k8s.io", "backups.velero.io",
        "restores.velero.io", "resticrepositories.velero.io", "csinodes.storage.k8s.io",
        "volumeattachments.storage.k8s.io", "backuprepositories.velero.io"), completed.excludedResources());
  }

  @Test
  void labelSelectorAloneAndOrLabelSelectorsAloneAreValid() {
    assertTrue(RestoreSpecValidator.validate(spec("labelSelector: {matchLabels: {a: b}}\n")).valid());
    assertTrue(RestoreSpecValidator.validate(spec("orLabelSelectors: [{matchLabels: {a: b}}]\n")).valid());
  }
}
