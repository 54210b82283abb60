package dev.rebound.coordinator.plan;

import java.util.List;

/**
 * A step of a restore into one cluster: its items may be restored in parallel; it starts only
 * when the previous wave is complete. The CRD wave also requires its CRDs to be Established
 * before the next wave starts (reference 3.6 step 21).
 *
 * @param name what the wave holds: a resource, or "unlisted resources"
 * @param groupResources the resources of the wave, in Velero's order
 */
public record Wave(int index, String name, List<String> groupResources, List<PlannedItem> items,
    boolean waitForCrdsEstablished) {

  public Wave {
    groupResources = List.copyOf(groupResources);
    items = List.copyOf(items);
  }
}
