package dev.rebound.itemrestorer.actions;

/**
 * One of Velero's built-in restore item actions (reference section 4), as a small unit: it sees
 * the item as the previous actions left it, may change it, ask for additional items or skip it.
 * Actions are pure apart from the reads {@link TargetLookups} offers, so each is tested by tables.
 */
public interface RestoreItemAction {

  /** Velero's plugin name, e.g. {@code velero.io/service}: also the key of its plugin ConfigMap. */
  String name();

  /**
   * Whether the action runs for items of this group resource (the backup's resource directory,
   * e.g. {@code services}, {@code deployments.apps}): Velero's {@code AppliesTo} resource selector.
   */
  boolean appliesTo(String groupResource);

  /**
   * Runs the action.
   *
   * @throws ActionException the item is not restored; its error is "error preparing
   *     {@code <resourceID>}: {@code <message>}" (reference 3.6 step 8)
   */
  ActionOutput execute(ActionInput input) throws ActionException;
}
