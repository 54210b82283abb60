package dev.rebound.model.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * One post-restore exec hook of a pod Velero created (reference 3.13), as the item-restorer found it
 * on the pod's annotations or in the restore's spec, for the coordinator to run.
 *
 * @param name Velero's hook name: {@code <from-annotation>}, or the spec's hook name
 * @param source {@code annotation} or {@code spec}
 * @param index the hook's position among its spec entry's post hooks (0 for annotations)
 * @param container the container to run it in (the pod's first container when unset)
 * @param onError {@code Continue}, {@code Fail}, or "" (unset: Continue)
 * @param execTimeoutMillis how long the command may run; 0 means Velero's default, 30 seconds
 * @param waitTimeoutMillis how long to wait for the container; 0 means without end
 * @param waitForReady wait for the container to be Ready rather than running
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExecHook(String name, String source, int index, String container, List<String> command, String onError,
    long execTimeoutMillis, long waitTimeoutMillis, boolean waitForReady) {

  public static final String FROM_ANNOTATION = "<from-annotation>";
  public static final String SOURCE_ANNOTATION = "annotation";
  public static final String SOURCE_SPEC = "spec";

  public ExecHook {
    Objects.requireNonNull(container, "container");
    command = command == null ? List.of() : List.copyOf(command);
    onError = onError == null ? "" : onError;
  }

  public boolean failStops() {
    return "Fail".equals(onError);
  }
}
