package dev.rebound.model.validation;

import dev.rebound.model.velero.Restore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The validation of Rebound's own restore annotations ({@link OutageTimeouts},
 * {@link ClusterNamespaceMappings}), beside Velero's checks of the spec: one list for the
 * status-reporter's dry run and the coordinator's planning, so the two give the same errors.
 */
public final class RestoreAnnotations {

  private RestoreAnnotations() {}

  /** The annotations' validation errors, in order; empty when all are valid or absent. */
  public static List<String> errors(Restore restore, Collection<String> targets) {
    List<String> errors = new ArrayList<>();
    OutageTimeouts.validate(restore).ifPresent(errors::add);
    errors.addAll(ClusterNamespaceMappings.validate(restore, targets));
    return errors;
  }
}
