package dev.rebound.itemrestorer.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.itemrestorer.actions.GoUnstructured.GoError;
import java.util.Optional;

/**
 * Velero's {@code velero.io/admission-webhook-configuration} restore item action (reference 4;
 * Velero's {@code pkg/restore/actions/admissionwebhook_config_action.go}): a Mutating- or
 * ValidatingWebhookConfiguration of {@code admissionregistration.k8s.io/v1} gets every webhook whose
 * {@code sideEffects} is neither {@code None} nor {@code NoneOnDryRun} set to {@code None}, since
 * v1 rejects the v1beta1 values {@code Unknown} and {@code Some} (Velero issue 3516). Other API
 * versions, and items without {@code webhooks}, are left as they are.
 *
 * <p>Velero quirks followed:
 *
 * <ul>
 *   <li>a missing or non-string {@code sideEffects} counts as invalid and becomes {@code None};
 *   <li>a {@code webhooks} entry that is an array cannot be converted to a map and is dropped from
 *       the list (Velero logs it and goes on);
 *   <li>an entry that is a string, number, boolean or null makes Velero's converter panic, which the
 *       plugin server reports as "plugin panicked: ..." (we give the same text, without the stack
 *       trace Velero appends for runtime errors);
 *   <li>{@code webhooks: null} or a non-list is an error ("failed to get webhooks slice from input
 *       item: .webhooks accessor error: ..."), as is a non-string {@code apiVersion}.
 * </ul>
 */
public final class AdmissionWebhookConfigurationAction implements RestoreItemAction {

  static final String V1 = "admissionregistration.k8s.io/v1";

  @Override
  public String name() {
    return "velero.io/admission-webhook-configuration";
  }

  @Override
  public boolean appliesTo(String groupResource) {
    return groupResource.equals("mutatingwebhookconfigurations.admissionregistration.k8s.io")
        || groupResource.equals("validatingwebhookconfigurations.admissionregistration.k8s.io");
  }

  @Override
  public ActionOutput execute(ActionInput input) throws ActionException {
    ObjectNode item = input.item();
    String apiVersion;
    try {
      apiVersion = GoUnstructured.nestedString(item, "apiVersion").orElse("");
    } catch (GoError e) {
      throw new ActionException("failed to get the apiVersion from input item: " + e.getMessage());
    }
    if (!apiVersion.equals(V1)) {
      return ActionOutput.of(item);
    }
    Optional<ArrayNode> webhooks;
    try {
      webhooks = GoUnstructured.nestedSlice(item, "webhooks");
    } catch (GoError e) {
      throw new ActionException("failed to get webhooks slice from input item: " + e.getMessage());
    }
    if (webhooks.isEmpty()) {
      return ActionOutput.of(item);
    }
    ArrayNode kept = item.arrayNode();
    for (JsonNode webhook : webhooks.get()) {
      if (webhook.isArray()) {
        continue; // Velero: "cannot convert slice to: map", entry dropped
      }
      if (webhook.isNull()) {
        throw GoUnstructured.pluginPanicked("assignment to entry in nil map");
      }
      if (!webhook.isObject()) {
        throw GoUnstructured.pluginPanicked("reflect.Set: value of type " + GoUnstructured.typeName(webhook)
            + " is not assignable to type map[string]interface {}");
      }
      ObjectNode copy = (ObjectNode) webhook;
      JsonNode sideEffects = copy.get("sideEffects");
      String value = sideEffects != null && sideEffects.isTextual() ? sideEffects.textValue() : "";
      if (!value.equals("None") && !value.equals("NoneOnDryRun")) {
        copy.put("sideEffects", "None");
      }
      kept.add(copy);
    }
    item.set("webhooks", kept);
    return ActionOutput.of(item);
  }
}
