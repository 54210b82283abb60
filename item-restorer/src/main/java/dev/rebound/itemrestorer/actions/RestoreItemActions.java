package dev.rebound.itemrestorer.actions;

import java.util.List;

/**
 * Velero's built-in restore item actions in Velero's order (reference 4): the v1 actions sorted by
 * name, each seeing the previous one's output. Velero's {@code dataupload} action and the CSI
 * actions are not here yet.
 */
public final class RestoreItemActions {

  private RestoreItemActions() {}

  /**
   * A new list of the built-in actions (actions are stateless; one list serves every item).
   *
   * @param restoreHelperImage the {@code restore-wait} init container's image when the plugin ConfigMap names none
   */
  public static List<RestoreItemAction> builtIn(String restoreHelperImage) {
    return List.of(
        new AddPvcFromPodAction(),
        new AdmissionWebhookConfigurationAction(),
        new ApiServiceAction(),
        new ChangeImageNameAction(),
        new ChangeStorageClassAction(),
        new ClusterRoleBindingAction(),
        new CrdPreserveFieldsAction(),
        new InitRestoreHookAction(),
        new JobAction(),
        new PodAction(),
        new PodVolumeRestoreAction(restoreHelperImage),
        new PvcAction(),
        new RoleBindingAction(),
        new SecretAction(),
        new ServiceAction(),
        new ServiceAccountAction(),
        // Velero's v2 actions come after every v1 action, sorted by name (reference 4).
        new CsiPvcAction(),
        new CsiVolumeSnapshotAction(),
        new CsiVolumeSnapshotClassAction(),
        new CsiVolumeSnapshotContentAction());
  }
}
