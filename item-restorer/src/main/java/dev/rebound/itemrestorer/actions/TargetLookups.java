package dev.rebound.itemrestorer.actions;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The reads of the target cluster that Velero's actions make. */
public interface TargetLookups {

  /**
   * The data of the action's plugin ConfigMap: the one ConfigMap in the Velero namespace labelled
   * {@code velero.io/plugin-config} and {@code <action name>=RestoreItemAction}; empty when there
   * is none.
   *
   * @throws ActionException when more than one matches ("found more than one ConfigMap matching
   *     label selector ...") or the list fails
   */
  Optional<Map<String, String>> pluginConfig(String actionName) throws ActionException;

  /**
   * Whether the StorageClass exists.
   *
   * @throws ActionException "error getting storage class {@code <name>} from API: ..." when it does
   *     not exist or cannot be read (Velero's change-storage-class wording)
   */
  void requireStorageClass(String name) throws ActionException;

  /**
   * Whether a Node of that name exists in the target cluster.
   *
   * @throws ActionException when it cannot be read (not for NotFound)
   */
  boolean nodeExists(String name) throws ActionException;

  /**
   * Whether a PersistentVolumeClaim of that name is in the namespace of the target cluster. Like
   * Velero's CSI claim action, a failed read counts as absent.
   */
  boolean claimExists(String namespace, String name);

  /**
   * The first VolumeSnapshotClass of the target cluster whose driver is this one; empty when none
   * is, or when they cannot be listed (Velero then goes on without a class).
   */
  Optional<String> volumeSnapshotClassFor(String driver);

  /** Names of the ServiceAccounts in a namespace of the target cluster. */
  List<String> serviceAccountNames(String namespace) throws ActionException;
}
