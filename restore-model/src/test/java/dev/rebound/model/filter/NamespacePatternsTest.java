package dev.rebound.model.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rebound.model.Json;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NamespacePatternsTest {

  private static final Set<String> BACKUP = Set.of("shop", "shop-jobs", "payments", "kube-system", "app-1", "app-22");

  @Test
  void aPatternStandsForTheBackupsNamespacesItMatchesOthersStayAsTheyAre() {
    assertEquals(List.of("payments", "app-1", "app-22"),
        NamespacePatterns.expand("includedNamespaces", List.of("payments", "/^app-[0-9]+$/"), BACKUP));
    assertEquals(List.of("shop", "shop-jobs", "kube-*"),
        NamespacePatterns.expand("excludedNamespaces", List.of("/shop/", "kube-*"), BACKUP), "part of a name matches");
  }

  @Test
  void anInvalidExpressionIsRefusedWithTheParsersMessage() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NamespacePatterns.expand("includedNamespaces", List.of("shop", "/app-(/"), BACKUP));
    assertEquals("spec.includedNamespaces[1]: Invalid value: \"/app-(/\": invalid regular expression: Unclosed group"
        + " near index 5", e.getMessage());
  }

  @Test
  void patternsThatMatchNothingNeverBecomeEveryNamespace() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NamespacePatterns.expand("includedNamespaces", List.of("/^db-/"), BACKUP));
    assertEquals("spec.includedNamespaces: [/^db-/] match no namespace of the backup [app-1, app-22, kube-system,"
        + " payments, shop, shop-jobs]; an empty list would mean every namespace", e.getMessage());
  }

  @Test
  void theBackupsNamespacesAreItsNamespaceObjectsAndWhereItsItemsAre() throws Exception {
    assertEquals(Set.of("shop", "payments", "orphans"), NamespacePatterns.namespacesOf(Json.mapper().readTree("""
        {"v1/Namespace": ["shop", "payments"], "v1/ConfigMap": ["shop/a", "orphans/b"],
         "rbac.authorization.k8s.io/v1/ClusterRole": ["admin"]}""")));
  }
}
