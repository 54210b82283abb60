package dev.rebound.itemrestorer.actions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.model.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the action tests share: JSON written with single quotes, and a cluster no action may read. */
final class ActionFixtures {

  private ActionFixtures() {}

  /** JSON written with {@code '} for {@code "}, so table rows stay readable. */
  static JsonNode json(String singleQuoted) throws Exception {
    return Json.mapper().readTree(singleQuoted.replace('\'', '"'));
  }

  /**
   * The target cluster of an action test: every read fails the test ("not used by this action")
   * unless the test's subclass answers it.
   */
  static class Unread implements TargetLookups {
    @Override
    public Optional<Map<String, String>> pluginConfig(String actionName) throws ActionException {
      throw new AssertionError("no plugin config read expected");
    }

    @Override
    public void requireStorageClass(String name) throws ActionException {
      throw new AssertionError("no storage class read expected");
    }

    @Override
    public boolean nodeExists(String name) throws ActionException {
      throw new AssertionError("no node read expected");
    }

    @Override
    public boolean claimExists(String namespace, String name) {
      throw new AssertionError("no claim read expected");
    }

    @Override
    public Optional<String> volumeSnapshotClassFor(String driver) {
      throw new AssertionError("no VolumeSnapshotClass read expected");
    }

    @Override
    public List<String> serviceAccountNames(String namespace) throws ActionException {
      throw new AssertionError("no service account read expected");
    }
  }

  /** For actions that read nothing from the cluster: any read fails the test. */
  static final TargetLookups NO_LOOKUPS = new Unread();

  /**
   * A target cluster as an action that reads only its plugin ConfigMap sees it: the data of the
   * ConfigMap for {@code action} ({@code null}: no such ConfigMap); any other read fails the test.
   */
  static TargetLookups pluginConfig(String action, Map<String, String> data) {
    return pluginConfigLookup(action, () -> Optional.ofNullable(data));
  }

  /** As {@link #pluginConfig}, but reading the ConfigMap for {@code action} fails with {@code failure}. */
  static TargetLookups failingPluginConfig(String action, ActionException failure) {
    return pluginConfigLookup(action, () -> {
      throw failure;
    });
  }

  private interface PluginConfigRead {
    Optional<Map<String, String>> read() throws ActionException;
  }

  private static TargetLookups pluginConfigLookup(String action, PluginConfigRead read) {
    return new Unread() {
      @Override
      public Optional<Map<String, String>> pluginConfig(String actionName) throws ActionException {
        org.junit.jupiter.api.Assertions.assertEquals(action, actionName);
        return read.read();
      }
    };
  }
}
