package dev.rebound.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.examplerestore.RestoreApi;
import dev.rebound.fixtures.RealisticItems;
import dev.rebound.fixtures.VeleroBackupBuilder;
import dev.rebound.servers.LocalServers;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 13 acceptance 1 and 3, in real Chromium (Debian's {@code chromium} and {@code chromedriver})
 * against the packaged services, the real broker, S3 server and API server: a super-admin signs in
 * with a ServiceAccount token, creates a restore through the form (namespace mapping, a
 * regular-expression namespace, a label-selector group), watches it go to {@code Completed} without reloading the
 * page, checks every field of the detail and its tabs, filters the list by cluster, status and
 * creator; a viewer sees no create button and gets 403 from the API. Screenshots of the list, the
 * form and the detail page are written to {@code target/console-screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

  private static final Path SHOTS = Path.of("target", "console-screenshots").toAbsolutePath();
  private static final String NS = "rebound-console";
  private static final int WEB_ITEMS = 150;
  private static final Duration WAIT = Duration.ofMinutes(3);

  /** An inline JSON patch for the web ConfigMaps (Velero's resource modifier rules, as JSON). */
  private static final String INLINE_RULES = "{\"version\": \"v1\", \"resourceModifierRules\": [{\"conditions\": "
      + "{\"groupResource\": \"configmaps\", \"labelSelector\": {\"matchLabels\": {\"app\": \"web\"}}}, \"patches\": "
      + "[{\"operation\": \"add\", \"path\": \"/metadata/labels/restored-by\", \"value\": \"console\"}]}]}";

  private static Pipeline pipeline;
  private static WebDriver browser;
  private static String base;
  private static String adminToken;
  private static String viewerToken;

  @BeforeAll
  static void start() throws Exception {
    Files.createDirectories(SHOTS);
    // A second target cluster, "east", for a restore into several clusters. It is the same API server
    // under another name (this machine runs one): what the console shows per cluster is the point.
    String kubeconfig = LocalServers.kube().adminKubeconfig().toString();
    pipeline = Pipeline.start("console", Map.of(
        "restore-coordinator", Map.of("rebound.coordinator.clusters.east.kubeconfig", kubeconfig),
        "item-restorer", Map.of("rebound.item-restorer.clusters.east.kubeconfig", kubeconfig)));
    base = pipeline.services.get("status-reporter").url();
    var kube = pipeline.kube;
    for (String ns : List.of(NS, "velero")) {
      kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .createOr(n -> n.update());
    }
    // The two roles of the console, as an operator would grant them (README "Access control").
    kube.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName("rebound-console-admin")
        .endMetadata().withRules(new PolicyRuleBuilder().withApiGroups("velero.io").withResources("restores")
            .withVerbs("get", "list", "create").build()).build()).createOr(r -> r.update());
    kube.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName("rebound-console-viewer")
        .endMetadata().withRules(new PolicyRuleBuilder().withApiGroups("velero.io").withResources("restores")
            .withVerbs("get", "list").build()).build()).createOr(r -> r.update());
    adminToken = serviceAccountToken("operator", "rebound-console-admin");
    viewerToken = serviceAccountToken("auditor", "rebound-console-viewer");

    // A backup of an application: web ConfigMaps (labelled app=web) and db ones, in two namespaces.
    List<ObjectNode> items = new ArrayList<>();
    for (String ns : List.of("storefront", "storefront-jobs")) {
      items.add(RealisticItems.namespace(ns));
      for (int i = 0; i < WEB_ITEMS; i++) {
        items.add(labelled(RealisticItems.configMap(ns, "web-" + i, Map.of("index", "" + i)), "web"));
      }
      for (int i = 0; i < 10; i++) {
        items.add(labelled(RealisticItems.configMap(ns, "db-" + i, Map.of("index", "" + i)), "db"));
      }
    }
    pipeline.uploader.upload(VeleroBackupBuilder.named("storefront-nightly").schedule("nightly").items(items).build(),
        "");

    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1440,1100");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (pipeline != null) {
      pipeline.close();
    }
  }

  private static ObjectNode labelled(ObjectNode item, String app) {
    ((ObjectNode) item.withObject("/metadata").withObject("/labels")).put("app", app);
    return item;
  }

  private static String serviceAccountToken(String name, String role) {
    var kube = pipeline.kube;
    kube.serviceAccounts().inNamespace(NS).resource(new ServiceAccountBuilder().withNewMetadata().withName(name)
        .endMetadata().build()).createOr(r -> r.update());
    kube.rbac().roleBindings().inNamespace("velero").resource(new RoleBindingBuilder().withNewMetadata()
        .withName(role + "-" + name).endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io")
        .withKind("ClusterRole").withName(role).endRoleRef().addNewSubject().withKind("ServiceAccount")
        .withName(name).withNamespace(NS).endSubject().build()).createOr(r -> r.update());
    return kube.serviceAccounts().inNamespace(NS).withName(name).tokenRequest(new TokenRequestBuilder().withNewSpec()
        .withExpirationSeconds(3600L).endSpec().build()).getStatus().getToken();
  }

  private static String user(String name) {
    return "system:serviceaccount:" + NS + ":" + name;
  }

  /** Waits for the condition; on a timeout, keeps a screenshot and says what the page showed. */
  private static <T> T until(Function<WebDriver, T> condition) {
    try {
      // A live page replaces its elements as updates come: one found a moment ago may be gone; look again.
      return new WebDriverWait(browser, WAIT, Duration.ofMillis(200))
          .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(condition);
    } catch (org.openqa.selenium.TimeoutException e) {
      String shot = "failure-" + System.nanoTime();
      try {
        screenshot(shot);
      } catch (Exception ignored) {
        // The page text below still says what went wrong.
      }
      throw new AssertionError("the page did not get there within " + WAIT + " (" + SHOTS.resolve(shot + ".png")
          + "); it shows:\n" + browser.findElement(By.tagName("body")).getText(), e);
    }
  }

  private static WebElement find(String css) {
    return until(d -> {
      List<WebElement> found = d.findElements(By.cssSelector(css));
      return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
    });
  }

  /** An element's text read in the page (the live panel replaces its elements as updates come). */
  private static String text(String css) {
    return (String) ((JavascriptExecutor) browser).executeScript(
        "const e = document.querySelector(arguments[0]); return e ? e.innerText : null;", css);
  }

  private static void type(String css, String text) {
    WebElement input = find(css);
    input.clear();
    input.sendKeys(text);
  }

  private static void signIn(String token) {
    browser.get(base + "/#/restores");
    type("#token", token);
    find("#sign-in").click();
    find("#restores");
  }

  /** The whole page (the window is made as tall as the page for the shot). */
  private static void screenshot(String name) throws Exception {
    var window = browser.manage().window();
    var size = window.getSize();
    Number height = (Number) ((JavascriptExecutor) browser).executeScript(
        "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight);");
    window.setSize(new org.openqa.selenium.Dimension(size.getWidth(), Math.max(size.getHeight(),
        Math.min(4000, height.intValue() + 140))));
    try {
      Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    } finally {
      window.setSize(size);
    }
  }

  @Test
  @Order(1)
  void aSuperAdminCreatesARestoreThroughTheFormAndWatchesItCompleteLive() throws Exception {
    signIn(adminToken);
    assertEquals(user("operator") + " · super-admin", find("#who").getText());
    find("#new-restore").click();

    type("#name", "storefront-web");
    type("#description", "web tier after the outage");
    find("#labels .add").click();
    type("#labels .label-key", "team");
    type("#labels .label-value", "shop");
    new Select(find("#backup")).selectByValue("storefront-nightly");
    find("#namespaces-specific").click();
    type("#included-namespaces", "/^storefront/"); // a regular expression, expanded against the backup
    type("#label-selectors .selector-key", "app");
    new Select(find("#label-selectors .selector-operator")).selectByValue("In");
    type("#label-selectors .selector-values", "web");
    find("#namespace-mapping .add").click();
    type("#namespace-mapping .map-source", "storefront");
    type("#namespace-mapping .map-target", "storefront-restored");
    find("#namespace-mapping .add").click();
    List<WebElement> sources = browser.findElements(By.cssSelector("#namespace-mapping .map-source"));
    List<WebElement> targets = browser.findElements(By.cssSelector("#namespace-mapping .map-target"));
    sources.get(1).sendKeys("storefront-jobs");
    targets.get(1).sendKeys("storefront-jobs-restored");
    new Select(find("#existing-resource-policy")).selectByValue("update");
    type("#item-operation-timeout", "2h");

    // The form checks with the API (dry run) and shows Velero's message for a bad value.
    type("#item-operation-timeout", "two hours");
    find("#validate").click();
    assertTrue(find("#form-errors .error").getText().contains("time: invalid duration \"two hours\""),
        find("#form-errors").getText());
    type("#item-operation-timeout", "2h");

    // Inline JSON patches: checked by the API with Velero's messages before anything is created.
    find("#modifier-inline").click();
    type("#modifier-inline-rules", INLINE_RULES.replace("\"add\"", "\"rename\""));
    find("#validate").click();
    until(d -> text("#form-errors").contains("Validation error in resource modifiers provided in configmap "
        + "velero/storefront-web-resource-modifiers: unsupported operation rename") ? true : null);
    type("#modifier-inline-rules", INLINE_RULES);
    find("#validate").click();
    until(d -> d.findElements(By.cssSelector("#form-errors .error")).isEmpty());
    assertEquals("Matches: storefront, storefront-jobs", until(d -> {
      String shown = text("#included-expansion");
      return shown == null || shown.isEmpty() ? null : shown;
    }));
    screenshot("2-new-restore-form");

    find("#create").click();
    find("#facts [data-test=detail-status]");
    ((JavascriptExecutor) browser).executeScript("window.__sameDocument = true;");
    List<String> seen = new ArrayList<>();
    until(d -> {
      String status = text("[data-test=detail-status]");
      if (status != null && (seen.isEmpty() || !seen.get(seen.size() - 1).equals(status))) {
        seen.add(status);
      }
      return status != null && status.startsWith("Completed") ? status : null;
    });
    assertEquals(Boolean.TRUE, ((JavascriptExecutor) browser).executeScript("return window.__sameDocument === true;"),
        "the status came to Completed without a reload");
    assertTrue(seen.size() >= 2, "the page showed the restore progressing before it completed: " + seen);
    assertTrue(seen.get(0).startsWith("Progressing"), seen.toString());

    // Every field of the left panel.
    int restored = 2 * WEB_ITEMS + 2; // the web ConfigMaps and the two namespaces
    assertEquals(restored + " of " + restored, text("[data-test=detail-resources]"));
    assertEquals("0 warnings, 0 errors", text("[data-test=detail-warnings-errors]"));
    assertEquals("default", text("[data-test=detail-cluster]"));
    assertEquals(user("operator"), text("[data-test=detail-created-by]"));
    assertTrue(text("[data-test=detail-backup]").startsWith("storefront-nightly"),
        text("[data-test=detail-backup]"));
    String backupTime = text("[data-test=detail-backup-time]");
    assertTrue(backupTime != null && !backupTime.isBlank(), "the backup's start time is shown");
    assertTrue(((String) ((JavascriptExecutor) browser).executeScript(
        "return document.querySelector('#backup-link').href;")).endsWith("/api/v1/backups/storefront-nightly"));
    assertTrue(text("[data-test=detail-duration]").matches("(\\d+m )?\\d+s"),
        text("[data-test=detail-duration]"));
    assertEquals("*", text("[data-test=detail-included]"));
    assertTrue(text("[data-test=detail-excluded]").contains("nodes"), "Velero's non-restorable resources");
    screenshot("3-restore-detail");

    // Both tabs: the namespace mapping, and the Restore's YAML.
    List<WebElement> mapping = until(d -> {
      List<WebElement> rows = d.findElements(By.cssSelector("[data-test=mapping-row]"));
      return rows.size() == 2 ? rows : null;
    });
    assertEquals("storefront storefront-restored", mapping.get(0).getText());
    assertEquals("storefront-jobs storefront-jobs-restored", mapping.get(1).getText());
    find("#tab-manifest").click();
    String manifest = find("#manifest").getText();
    assertTrue(manifest.contains("rebound.dev/created-by: \"" + user("operator") + "\""), manifest);
    assertTrue(manifest.contains("phase: Completed"), manifest);
    assertTrue(manifest.contains("storefront: storefront-restored"), manifest);
    assertTrue(manifest.contains("operator: In"), manifest);
    find("#tab-clusters").click();
    assertTrue(find("[data-test=cluster-row]").getText().startsWith("default Completed Completed " + restored + " of "
        + restored), find("[data-test=cluster-row]").getText());

    // What the restore did: only the web tier, under the mapped names; and its JSON.
    assertEquals(WEB_ITEMS, pipeline.kube.configMaps().inNamespace("storefront-restored")
        .withLabel("app", "web").list().getItems().size());
    assertEquals(0, pipeline.kube.configMaps().inNamespace("storefront-restored")
        .withLabel("app", "db").list().getItems().size());
    assertEquals(WEB_ITEMS, pipeline.kube.configMaps().inNamespace("storefront-restored")
        .withLabel("restored-by", "console").list().getItems().size(), "the inline JSON patch was applied");
    assertTrue(manifest.contains("name: storefront-web-resource-modifiers"), manifest);
    assertEquals(INLINE_RULES, pipeline.kube.configMaps().inNamespace("velero")
        .withName("storefront-web-resource-modifiers").get().getData().get("resource-modifiers.yaml"));
    JsonNode json = new RestoreApi(base, adminToken).get("storefront-web", "").json();
    assertEquals(user("operator"), json.at("/metadata/annotations/rebound.dev~1created-by").asText());
    assertEquals("shop", json.at("/metadata/labels/team").asText());
    assertEquals("web tier after the outage", json.at("/metadata/annotations/rebound.dev~1description").asText());
    assertEquals("[\"storefront\",\"storefront-jobs\"]", json.at("/spec/includedNamespaces").toString(),
        "the stored Restore names the namespaces the expression matched");
  }

  @Test
  @Order(2)
  void theListFiltersByClusterStatusAndCreator() throws Exception {
    // A second restore by another user (the cluster's admin), which fails validation.
    RestoreApi.Answer other = new RestoreApi(base, LocalServers.kube().adminToken()).submit("""
        {"metadata": {"name": "broken-policy"},
         "spec": {"backupName": "storefront-nightly", "existingResourcePolicy": "replace"}}""", "application/json");
    assertEquals(201, other.status(), other.body());
    // The test JVM's broker is shared: other classes' restores may be listed too; these two are the newest.
    browser.get(base + "/#/restores");
    until(d -> names().size() >= 2 && names().subList(0, 2).equals(List.of("broken-policy", "storefront-web"))
        ? true : null);
    until(d -> "Failed".equals(text("[data-test=restore-row] [data-test=status]")) ? true : null); // FailedValidation
    screenshot("1-restores-list");

    new Select(find("#filter-status")).selectByVisibleText("Completed");
    until(d -> names().contains("storefront-web") && !names().contains("broken-policy") ? true : null);
    assertTrue(statuses().stream().allMatch("Completed"::equals), statuses().toString());
    new Select(find("#filter-status")).selectByVisibleText("Failed");
    until(d -> names().contains("broken-policy") && !names().contains("storefront-web") ? true : null);
    assertTrue(statuses().stream().allMatch("Failed"::equals), statuses().toString());
    new Select(find("#filter-status")).selectByVisibleText("All statuses");
    until(d -> names().containsAll(List.of("broken-policy", "storefront-web")) ? true : null);

    new Select(find("#filter-cluster")).selectByValue("default");
    until(d -> names().containsAll(List.of("broken-policy", "storefront-web")) ? true : null);

    type("#filter-created-by", user("operator"));
    find("#search").click(); // leaves the creator field: its change applies the filter
    until(d -> names().equals(List.of("storefront-web")) ? true : null);
    assertEquals(user("operator"), text("[data-test=restore-row] [data-test=created-by]"));
    assertEquals("default", text("[data-test=restore-row] [data-test=cluster]"));
    assertEquals("storefront-nightly", text("[data-test=restore-row] [data-test=backup]"));
    assertEquals("nightly", text("[data-test=restore-row] [data-test=schedule]"));
    type("#filter-created-by", "rebound-admin");
    find("#search").click();
    until(d -> names().contains("broken-policy") && !names().contains("storefront-web") ? true : null);
    type("#filter-created-by", "");
    type("#search", "web tier"); // a part of one restore's description
    find("#search-button").click();
    until(d -> names().equals(List.of("storefront-web")) ? true : null);
  }

  @Test
  @Order(3)
  void aViewerSeesNoCreateButtonAndTheApiRefusesItsRestores() throws Exception {
    find("#sign-out").click();
    signIn(viewerToken);
    assertEquals(user("auditor") + " · viewer", find("#who").getText());
    until(d -> names().containsAll(List.of("broken-policy", "storefront-web")) ? true : null);
    assertTrue(browser.findElements(By.cssSelector("#new-restore")).isEmpty(), "no New Restore button for a viewer");
    RestoreApi.Answer refused = new RestoreApi(base, viewerToken).submit("""
        {"metadata": {"name": "by-a-viewer"}, "spec": {"backupName": "storefront-nightly"}}""", "application/json");
    assertEquals(403, refused.status(), refused.body());
    assertEquals("restores.velero.io is forbidden: User \"" + user("auditor") + "\" cannot create resource \"restores\""
        + " in API group \"velero.io\" in the namespace \"velero\"", refused.json().path("message").asText());
    browser.get(base + "/#/restores/storefront-web");
    find("#facts [data-test=detail-status]");
    assertFalse(browser.findElement(By.id("delete-restore")).isDisplayed(), "no Delete button for a viewer");
    assertEquals(403, new RestoreApi(base, viewerToken).delete("broken-policy").status());
  }

  @Test
  @Order(4)
  void aSuperAdminDeletesAnEndedRestore() throws Exception {
    find("#sign-out").click();
    signIn(adminToken);
    browser.get(base + "/#/restores/broken-policy");
    find("#delete-restore").click();
    browser.switchTo().alert().accept();
    find("#restores");
    RestoreApi api = new RestoreApi(base, adminToken);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> api.get("broken-policy", "").status()
        == 404);
    browser.navigate().refresh();
    until(d -> !names().contains("broken-policy") && names().contains("storefront-web") ? true : null);
  }

  @Test
  @Order(5)
  void aRestoreIntoTwoClustersShowsEachClustersPart() throws Exception {
    RestoreApi api = new RestoreApi(base, adminToken);
    RestoreApi.Answer created = api.submit("""
        {"metadata": {"name": "storefront-fleet", "annotations": {"rebound.dev/target-clusters": "default,east",
                      "rebound.dev/namespace-mappings.east": "storefront:storefront-east"}},
         "spec": {"backupName": "storefront-nightly", "includedNamespaces": ["storefront"],
                  "namespaceMapping": {"storefront": "storefront-fleet"}, "labelSelector": {"matchLabels": {"app": "db"}}}}""",
        "application/json");
    assertEquals(201, created.status(), created.body());
    browser.get(base + "/#/restores/storefront-fleet/clusters");
    List<String> rows = until(d -> {
      @SuppressWarnings("unchecked")
      List<String> texts = (List<String>) ((JavascriptExecutor) browser).executeScript("return Array.from("
          + "document.querySelectorAll('[data-test=cluster-row]')).map(r => r.innerText);");
      if (!"Completed".equals(text("[data-test=detail-status] .muted"))) {
        browser.navigate().refresh(); // the Clusters tab is read when shown: look again once it all ended
        return null;
      }
      return texts.size() == 2 && texts.stream().allMatch(t -> t.contains("Completed")) ? texts : null;
    });
    assertTrue(rows.get(0).startsWith("default\tCompleted") || rows.get(0).startsWith("default Completed"), rows.toString());
    assertTrue(rows.get(1).startsWith("east\tCompleted") || rows.get(1).startsWith("east Completed"), rows.toString());
    for (String row : rows) {
      assertTrue(row.matches("(?s).*\\b(\\d+) of \\1\\b.*"), "each cluster restored all its items: " + row);
    }
    assertEquals("default, east", text("[data-test=detail-cluster]"));
    screenshot("4-restore-two-clusters");
    // east is this API server under another name: its own namespace mapping put its part beside default's.
    for (String ns : List.of("storefront-fleet", "storefront-east")) {
      assertEquals(10, pipeline.kube.configMaps().inNamespace(ns).withLabel("velero.io/restore-name", "storefront-fleet")
          .withLabel("app", "db").list().getItems().size(), ns);
      assertEquals(0, pipeline.kube.configMaps().inNamespace(ns).withLabel("app", "web").list().getItems().size(), ns);
    }

    // The list's cluster filter: only the restore into east, of this class's restores.
    browser.get(base + "/#/restores");
    new Select(find("#filter-cluster")).selectByValue("east");
    until(d -> names().equals(List.of("storefront-fleet")) ? true : null);
  }

  @Test
  @Order(6)
  void aDryRunShowsItsVerdictsAndASuperAdminCancelsARunningRestore() throws Exception {
    RestoreApi api = new RestoreApi(base, adminToken);
    // A dry run into the namespace the fleet restore filled with the db ConfigMaps: those exist and are
    // identical (skip), the web ones would be created.
    RestoreApi.Answer dry = api.submit("""
        {"metadata": {"name": "storefront-dry", "annotations": {"rebound.dev/dry-run": "true"}},
         "spec": {"backupName": "storefront-nightly", "includedNamespaces": ["storefront"],
                  "namespaceMapping": {"storefront": "storefront-fleet"}}}""", "application/json");
    assertEquals(201, dry.status(), dry.body());
    api.awaitEnd("storefront-dry", WAIT, r -> {});
    browser.get(base + "/#/restores/storefront-dry");
    assertEquals("Dry Run", find("#tab-dryrun").getText());
    assertEquals("Dry run: nothing was changed in the cluster", find("[data-test=detail-dry-run]").getText());
    String summary = until(d -> {
      String t = text("#dry-run-summary");
      return t != null && !t.startsWith("0 would create") ? t : null;
    });
    assertEquals(WEB_ITEMS + " would create, 0 would update, 11 would skip, 0 would fail", summary,
        "the web ConfigMaps created, the db ones and the namespace skipped");
    @SuppressWarnings("unchecked")
    List<String> verdicts = (List<String>) ((JavascriptExecutor) browser).executeScript("return Array.from("
        + "document.querySelectorAll('[data-test=dry-run-row]')).map(r => r.dataset.verdict);");
    assertEquals(WEB_ITEMS + 11, verdicts.size());
    assertEquals(0, pipeline.kube.configMaps().inNamespace("storefront-fleet").withLabel("app", "web").list()
        .getItems().size(), "a dry run creates nothing");
    screenshot("5-dry-run");

    // Cancel: a restore big enough to be running when the button is clicked.
    List<ObjectNode> items = new ArrayList<>(List.of(RealisticItems.namespace("storefront-big")));
    for (int i = 0; i < 3000; i++) {
      items.add(RealisticItems.configMap("storefront-big", "cm-" + i, Map.of("index", "" + i)));
    }
    pipeline.uploader.upload(VeleroBackupBuilder.named("storefront-big").items(items).build(), "");
    assertEquals(201, api.submit("{\"metadata\": {\"name\": \"storefront-big\"}, \"spec\": {\"backupName\": "
        + "\"storefront-big\"}}", "application/json").status());
    browser.get(base + "/#/restores/storefront-big");
    org.awaitility.Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() ->
        api.get("storefront-big", "").json().path("status").path("progress").path("itemsRestored").asInt(0) > 100);
    find("#cancel-restore").click();
    browser.switchTo().alert().accept();
    until(d -> "Canceled".equals(text("[data-test=detail-status] .muted")) ? true : null);
    assertEquals("Canceled", text("[data-test=detail-status] [data-test=status]"));
    assertTrue(browser.findElements(By.cssSelector("#cancel-restore")).stream().noneMatch(WebElement::isDisplayed),
        "no Cancel button on an ended restore");
    JsonNode canceled = api.get("storefront-big", "").json();
    assertEquals(user("operator"), canceled.path("metadata").path("annotations").path("rebound.dev/cancel-requested-by")
        .asText());
    assertTrue(canceled.path("status").path("progress").path("itemsRestored").asInt() < 3001, canceled.toString());
  }

  /** The listed restores' statuses, read in the page. */
  @SuppressWarnings("unchecked")
  private static List<String> statuses() {
    return (List<String>) ((JavascriptExecutor) browser).executeScript("return Array.from(document.querySelectorAll("
        + "'[data-test=restore-row] [data-test=status]')).map(s => s.innerText);");
  }

  /** The listed restores' names, read in the page (a live row replaces its cells as updates come). */
  @SuppressWarnings("unchecked")
  private static List<String> names() {
    return (List<String>) ((JavascriptExecutor) browser).executeScript(
        "return Array.from(document.querySelectorAll('[data-test=restore-row]')).map(r => r.dataset.name);");
  }
}
