package dev.rebound.model.velero;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Velero's {@code RestoreSpec} (reference 2.1), field for field. Pointer fields of the Go type are
 * boxed here so that "unset" (null) stays distinct from false, as Velero's defaults depend on it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RestoreSpec(
    String backupName,
    String scheduleName,
    List<String> includedNamespaces,
    List<String> excludedNamespaces,
    List<String> includedResources,
    List<String> excludedResources,
    Map<String, String> namespaceMapping,
    LabelSelector labelSelector,
    List<LabelSelector> orLabelSelectors,
    Boolean restorePVs,
    RestoreStatusSpec restoreStatus,
    Boolean preserveNodePorts,
    Boolean includeClusterResources,
    RestoreHooks hooks,
    String existingResourcePolicy,
    String itemOperationTimeout,
    TypedLocalObjectReference resourceModifier,
    UploaderConfig uploaderConfig) {

  /** Which resources get their status restored ({@code spec.restoreStatus}). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RestoreStatusSpec(List<String> includedResources, List<String> excludedResources) {}

  /** {@code spec.resourceModifier}: used only when kind is "configmap" in any case. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TypedLocalObjectReference(String apiGroup, String kind, String name) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record UploaderConfig(Boolean writeSparseFiles, Integer parallelFilesDownload) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RestoreHooks(List<RestoreResourceHookSpec> resources) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RestoreResourceHookSpec(
      String name,
      List<String> includedNamespaces,
      List<String> excludedNamespaces,
      List<String> includedResources,
      List<String> excludedResources,
      LabelSelector labelSelector,
      List<RestoreResourceHook> postHooks) {}

  /** One post hook: either {@code exec} or {@code init}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RestoreResourceHook(ExecRestoreHook exec, InitRestoreHook init) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ExecRestoreHook(
      String container,
      List<String> command,
      String onError,
      String execTimeout,
      String waitTimeout,
      Boolean waitForReady) {}

  /** Init containers stay raw JSON, as Velero keeps them ({@code runtime.RawExtension}). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record InitRestoreHook(List<JsonNode> initContainers, String timeout) {}

  /** This spec with another {@code restoreStatus} (the coordinator resolves its resource names). */
  public RestoreSpec withRestoreStatus(RestoreStatusSpec status) {
    return new RestoreSpec(backupName, scheduleName, includedNamespaces, excludedNamespaces, includedResources,
        excludedResources, namespaceMapping, labelSelector, orLabelSelectors, restorePVs, status, preserveNodePorts,
        includeClusterResources, hooks, existingResourcePolicy, itemOperationTimeout, resourceModifier, uploaderConfig);
  }

  public RestoreSpec withResourceModifier(TypedLocalObjectReference modifier) {
    return new RestoreSpec(backupName, scheduleName, includedNamespaces, excludedNamespaces, includedResources,
        excludedResources, namespaceMapping, labelSelector, orLabelSelectors, restorePVs, restoreStatus,
        preserveNodePorts, includeClusterResources, hooks, existingResourcePolicy, itemOperationTimeout, modifier,
        uploaderConfig);
  }

  /** This spec with other excluded resources (Velero appends the never-restored list). */
  public RestoreSpec withExcludedResources(List<String> excluded) {
    return new RestoreSpec(backupName, scheduleName, includedNamespaces, excludedNamespaces, includedResources,
        excluded, namespaceMapping, labelSelector, orLabelSelectors, restorePVs, restoreStatus, preserveNodePorts,
        includeClusterResources, hooks, existingResourcePolicy, itemOperationTimeout, resourceModifier, uploaderConfig);
  }

  /** This spec with other included and excluded namespaces (regular expressions expanded). */
  public RestoreSpec withNamespaces(List<String> included, List<String> excluded) {
    return new RestoreSpec(backupName, scheduleName, included, excluded, includedResources,
        excludedResources, namespaceMapping, labelSelector, orLabelSelectors, restorePVs, restoreStatus,
        preserveNodePorts, includeClusterResources, hooks, existingResourcePolicy, itemOperationTimeout,
        resourceModifier, uploaderConfig);
  }

  /** This spec with another {@code namespaceMapping} (a target cluster's own, merged in). */
  public RestoreSpec withNamespaceMapping(Map<String, String> mapping) {
    return new RestoreSpec(backupName, scheduleName, includedNamespaces, excludedNamespaces, includedResources,
        excludedResources, mapping, labelSelector, orLabelSelectors, restorePVs, restoreStatus,
        preserveNodePorts, includeClusterResources, hooks, existingResourcePolicy, itemOperationTimeout,
        resourceModifier, uploaderConfig);
  }

  /** This spec with its source filled in, as Velero persists it after resolving a schedule. */
  public RestoreSpec withSource(String backup, String schedule) {
    return new RestoreSpec(backup, schedule, includedNamespaces, excludedNamespaces, includedResources,
        excludedResources, namespaceMapping, labelSelector, orLabelSelectors, restorePVs, restoreStatus,
        preserveNodePorts, includeClusterResources, hooks, existingResourcePolicy, itemOperationTimeout,
        resourceModifier, uploaderConfig);
  }

  /** A spec restoring {@code backupName} with every other field unset. */
  public static RestoreSpec fromBackup(String backupName) {
    return new RestoreSpec(backupName, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, null);
  }
}
