package dev.rebound.model.velero;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Rebound's inline resource modifiers (issue 13, scope 5): a Restore may carry Velero's resource
 * modifiers document (reference 5) in the annotation {@value #ANNOTATION} instead of naming a
 * ConfigMap. The API validates the document with Velero's messages and points
 * {@code spec.resourceModifier} at the ConfigMap {@link #configMapName} names; the coordinator
 * creates that ConfigMap in each target cluster's Velero namespace before it reads it as Velero
 * would, and removes it when the restore is deleted. So the Restore stays a plain Velero Restore
 * and {@code kubectl get configmap} shows what was applied.
 */
public final class InlineResourceModifiers {

  /** The resource modifiers document (YAML or JSON), as the ConfigMap's one data key would hold it. */
  public static final String ANNOTATION = "rebound.dev/resource-modifiers";
  /** The ConfigMap's one data key. */
  public static final String DATA_KEY = "resource-modifiers.yaml";
  /** On the ConfigMap: the uid of the restore it was made for (only that restore's deletion removes it). */
  public static final String RESTORE_UID = "rebound.dev/restore-uid";
  /** On the ConfigMap: the name of the restore it was made for. */
  public static final String RESTORE_NAME = "rebound.dev/restore-name";
  private static final String SUFFIX = "-resource-modifiers";
  private static final int MAX_NAME = 253;

  private InlineResourceModifiers() {}

  /** The restore's inline document, if it has one. */
  public static Optional<String> of(Restore restore) {
    return Optional.ofNullable(restore.metadata() == null ? null : restore.metadata().annotation(ANNOTATION));
  }

  /**
   * The ConfigMap made for restore {@code restore}: {@code <restore>-resource-modifiers}, or, when
   * that is longer than an object name may be, the name cut short and told apart by a hash.
   */
  public static String configMapName(String restore) {
    if (restore.length() + SUFFIX.length() <= MAX_NAME) {
      return restore + SUFFIX;
    }
    String hash = sha256(restore).substring(0, 10);
    String head = restore.substring(0, MAX_NAME - SUFFIX.length() - hash.length() - 1);
    while (!head.isEmpty() && !Character.isLetterOrDigit(head.charAt(head.length() - 1))) {
      head = head.substring(0, head.length() - 1);
    }
    return head + "-" + hash + SUFFIX;
  }

  /** The ConfigMap's data for a document. */
  public static Map<String, String> data(String document) {
    return Map.of(DATA_KEY, document);
  }

  /**
   * A submitted restore with an inline document, checked and completed: the document is parsed and
   * validated as Velero validates a resource modifier ConfigMap (reference 2.5 step 11, its
   * messages naming the ConfigMap that will hold it), and {@code spec.resourceModifier} is set to
   * that ConfigMap. A restore without one is returned as it is.
   *
   * @throws IllegalArgumentException when the document is invalid, or the restore names a ConfigMap too
   */
  public static Restore resolve(Restore restore) {
    Optional<String> document = of(restore);
    if (document.isEmpty()) {
      return restore;
    }
    RestoreSpec spec = restore.spec();
    if (spec.resourceModifier() != null && spec.resourceModifier().name() != null
        && !spec.resourceModifier().name().isEmpty()) {
      throw new IllegalArgumentException("annotation " + ANNOTATION + " and spec.resourceModifier cannot both be "
          + "set: give the resource modifiers inline or name a ConfigMap, not both");
    }
    if (document.get().isBlank()) {
      throw new IllegalArgumentException("annotation " + ANNOTATION + " is empty: it must hold a resource "
          + "modifiers document (version: v1, resourceModifierRules: ...)");
    }
    String name = configMapName(restore.name());
    ResourceModifiers.fromConfigMap(restore.metadata().namespace(), name, data(document.get()));
    return restore.withSpec(spec.withResourceModifier(new RestoreSpec.TypedLocalObjectReference("", "ConfigMap",
        name)));
  }

  /** Whether the restore's {@code spec.resourceModifier} is the ConfigMap made for its inline document. */
  public static boolean madeFor(Restore restore) {
    RestoreSpec.TypedLocalObjectReference ref = restore.spec() == null ? null : restore.spec().resourceModifier();
    return of(restore).isPresent() && ref != null && configMapName(restore.name()).equals(ref.name());
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
