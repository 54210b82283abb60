package dev.rebound.itemrestorer.actions;

import dev.rebound.model.velero.LabelSelector;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A restore hook's {@code labelSelector} (reference 3.13) converted as Velero converts it, with
 * apimachinery's {@code metav1.LabelSelectorAsSelector}: every {@code matchLabels} entry and every
 * {@code matchExpressions} requirement must hold; In (key present, value listed), NotIn (key absent
 * or value not listed), Exists, DoesNotExist. A selector with neither part selects everything.
 * (A null selector is never converted: Velero then applies the hook to every label set.)
 *
 * <p>Conversion checks what apimachinery (v0.36, the version Velero builds with) checks and fails
 * with its words: an unknown operator ({@code "Gt" is not a valid label selector operator}), values
 * on Exists/DoesNotExist or none on In/NotIn, label keys that are not qualified names and values
 * that are not label values (field-error form, e.g. {@code values: Invalid value: []string(nil):
 * for 'in', 'notin' operators, values set can't be empty}). Go walks {@code matchLabels} in
 * random map order; here it is walked in key order, so with several bad entries the one reported
 * is deterministic.
 */
public final class LabelSelectorMatcher {

  private static final String QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
  private static final String QUALIFIED_NAME_MSG =
      "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  private static final String LABEL_VALUE_FMT = "(" + QUALIFIED_NAME_FMT + ")?";
  private static final String LABEL_VALUE_MSG =
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must "
          + "start and end with an alphanumeric character";
  private static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final String DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*";
  private static final String DNS1123_SUBDOMAIN_MSG =
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
          + "start and end with an alphanumeric character";
  private static final Pattern QUALIFIED_NAME = Pattern.compile(QUALIFIED_NAME_FMT);
  private static final Pattern LABEL_VALUE = Pattern.compile(LABEL_VALUE_FMT);
  private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(DNS1123_SUBDOMAIN_FMT);

  private record Requirement(String key, String operator, List<String> values) {
    boolean matches(Map<String, String> labels) {
      boolean present = labels.containsKey(key);
      String value = present && labels.get(key) != null ? labels.get(key) : "";
      return switch (operator) {
        case "In" -> present && values.contains(value);
        case "NotIn" -> !present || !values.contains(value);
        case "Exists" -> present;
        default -> !present; // DoesNotExist
      };
    }
  }

  private final List<Requirement> requirements;

  private LabelSelectorMatcher(List<Requirement> requirements) {
    this.requirements = requirements;
  }

  /**
   * Converts a selector.
   *
   * @throws IllegalArgumentException with apimachinery's message when the selector is invalid
   */
  public static LabelSelectorMatcher compile(LabelSelector selector) {
    List<Requirement> requirements = new ArrayList<>();
    if (selector == null) {
      return new LabelSelectorMatcher(requirements);
    }
    if (selector.matchLabels() != null) {
      for (var e : new TreeMap<>(selector.matchLabels()).entrySet()) {
        String value = e.getValue() == null ? "" : e.getValue();
        check(e.getKey(), "In", List.of(value));
        requirements.add(new Requirement(e.getKey(), "In", List.of(value)));
      }
    }
    if (selector.matchExpressions() != null) {
      for (LabelSelector.Requirement r : selector.matchExpressions()) {
        String operator = r.operator() == null ? "" : r.operator();
        if (!List.of("In", "NotIn", "Exists", "DoesNotExist").contains(operator)) {
          throw new IllegalArgumentException(goQuote(operator) + " is not a valid label selector operator");
        }
        String key = r.key() == null ? "" : r.key();
        List<String> values = r.values() == null ? List.of()
            : r.values().stream().map(v -> v == null ? "" : v).toList();
        check(key, operator, values);
        requirements.add(new Requirement(key, operator, values));
      }
    }
    return new LabelSelectorMatcher(requirements);
  }

  /** Whether the labels (null: none) satisfy every requirement. */
  public boolean matches(Map<String, String> labels) {
    Map<String, String> l = labels == null ? Map.of() : labels;
    return requirements.stream().allMatch(r -> r.matches(l));
  }

  /** apimachinery's {@code labels.NewRequirement} checks, aggregated as it aggregates them. */
  private static void check(String key, String operator, List<String> values) {
    Set<String> errors = new LinkedHashSet<>();
    List<String> keyErrors = qualifiedNameErrors(key);
    if (!keyErrors.isEmpty()) {
      errors.add("key: Invalid value: " + goQuote(key) + ": " + String.join("; ", keyErrors));
    }
    String shown = goStrings(values);
    if ((operator.equals("In") || operator.equals("NotIn")) && values.isEmpty()) {
      errors.add("values: Invalid value: " + shown + ": for 'in', 'notin' operators, values set can't be empty");
    }
    if ((operator.equals("Exists") || operator.equals("DoesNotExist")) && !values.isEmpty()) {
      errors.add("values: Invalid value: " + shown + ": values set must be empty for exists and does not exist");
    }
    for (int i = 0; i < values.size(); i++) {
      List<String> valueErrors = labelValueErrors(values.get(i));
      if (!valueErrors.isEmpty()) {
        errors.add("values[" + i + "][" + key + "]: Invalid value: " + goQuote(values.get(i)) + ": "
            + String.join("; ", valueErrors));
      }
    }
    if (errors.size() == 1) {
      throw new IllegalArgumentException(errors.iterator().next());
    }
    if (errors.size() > 1) {
      throw new IllegalArgumentException("[" + String.join(", ", errors) + "]");
    }
  }

  /** apimachinery's {@code IsQualifiedName}. */
  private static List<String> qualifiedNameErrors(String value) {
    List<String> errors = new ArrayList<>();
    String[] parts = value.split("/", -1);
    String name;
    if (parts.length == 1) {
      name = parts[0];
    } else if (parts.length == 2) {
      String prefix = parts[0];
      name = parts[1];
      if (prefix.isEmpty()) {
        errors.add("prefix part must be non-empty");
      } else {
        for (String e : dns1123SubdomainErrors(prefix)) {
          errors.add("prefix part " + e);
        }
      }
    } else {
      errors.add("a qualified name " + regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")
          + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
      return errors;
    }
    if (name.isEmpty()) {
      errors.add("name part must be non-empty");
    } else if (name.length() > 63) {
      errors.add("name part must be no more than 63 characters");
    }
    if (!QUALIFIED_NAME.matcher(name).matches()) {
      errors.add("name part " + regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc"));
    }
    return errors;
  }

  private static List<String> dns1123SubdomainErrors(String value) {
    List<String> errors = new ArrayList<>();
    if (value.length() > 253) {
      errors.add("must be no more than 253 characters");
    }
    if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
      errors.add(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, "example.com"));
    }
    return errors;
  }

  /** apimachinery's {@code IsValidLabelValue}. */
  private static List<String> labelValueErrors(String value) {
    List<String> errors = new ArrayList<>();
    if (value.length() > 63) {
      errors.add("must be no more than 63 characters");
    }
    if (!LABEL_VALUE.matcher(value).matches()) {
      errors.add(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"));
    }
    return errors;
  }

  private static String regexError(String message, String format, String... examples) {
    StringBuilder sb = new StringBuilder(message).append(" (e.g. ");
    for (int i = 0; i < examples.length; i++) {
      if (i > 0) {
        sb.append(" or ");
      }
      sb.append('\'').append(examples[i]).append("', ");
    }
    return sb.append("regex used for validation is '").append(format).append("')").toString();
  }

  /** Go's {@code %#v} of the {@code []string} apimachinery reports. */
  private static String goStrings(List<String> values) {
    if (values.isEmpty()) {
      return "[]string(nil)";
    }
    List<String> quoted = values.stream().map(LabelSelectorMatcher::goQuote).toList();
    return "[]string{" + String.join(", ", quoted) + "}";
  }

  /** Go's {@code %q} for the printable strings selectors hold (control characters escaped). */
  static String goQuote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\x%02x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
