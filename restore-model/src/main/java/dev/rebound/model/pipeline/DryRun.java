package dev.rebound.model.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.model.velero.Restore;

/**
 * A dry run (issue 14 scope 6): a restore annotated {@value #ANNOTATION}{@code : "true"} is planned and
 * runs every per-item step, but each write goes to the target's API server with {@code dryRun=All}
 * (admission and validation run for real, nothing is stored), and nothing else is changed (no volume
 * data, no hooks, no volume patches, no resource modifiers ConfigMap). Each item reports a
 * {@link Verdict}.
 */
public final class DryRun {

  /** The annotation that makes a restore a dry run. */
  public static final String ANNOTATION = "rebound.dev/dry-run";

  private DryRun() {}

  /** Whether the Restore asks for a dry run. */
  public static boolean requested(Restore restore) {
    return restore != null && restore.metadata() != null && "true".equals(restore.metadata().annotation(ANNOTATION));
  }

  /**
   * What the restore would do to one item.
   *
   * @param verdict {@value #CREATE}, {@value #UPDATE}, {@value #SKIP} or {@value #FAIL}
   * @param diff for an object that exists and differs from the backup: the JSON merge patch from the
   *     live object to what the restore would make of it (for {@value #UPDATE}, the patch it would send);
   *     null otherwise
   * @param detail why, in a sentence: the server's error for {@value #FAIL}, whether an existing object
   *     is identical, what could not be checked
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Verdict(String verdict, JsonNode diff, String detail) {
    public static final String CREATE = "create";
    public static final String UPDATE = "update";
    public static final String SKIP = "skip";
    public static final String FAIL = "fail";

    public static Verdict create(String detail) {
      return new Verdict(CREATE, null, detail);
    }

    public static Verdict update(JsonNode diff, String detail) {
      return new Verdict(UPDATE, diff, detail);
    }

    public static Verdict skip(JsonNode diff, String detail) {
      return new Verdict(SKIP, diff, detail);
    }

    public static Verdict fail(String detail) {
      return new Verdict(FAIL, null, detail);
    }
  }
}
