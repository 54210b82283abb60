package dev.rebound.model.filter;

import java.util.regex.Pattern;

/**
 * A glob as Velero matches namespaces and resources (gobwas/glob compiled without separators,
 * reference 3.3) or, with a separator, a resource modifier's {@code groupResource} (reference 5,
 * separator {@code .}: there {@code *} and {@code ?} do not cross the separator and {@code **}
 * does): {@code *} any run of characters, {@code ?} one character, {@code [abc]},
 * {@code [a-z]} and {@code [!abc]} classes, {@code {a,b}} alternatives, {@code \} escapes the next
 * character. Anything else matches itself.
 */
public final class Glob {

  private final String pattern;
  private final Pattern regex;

  private Glob(String pattern, Pattern regex) {
    this.pattern = pattern;
    this.regex = regex;
  }

  /** Compiles {@code pattern}; an unbalanced bracket or brace is an {@link IllegalArgumentException}. */
  public static Glob compile(String pattern) {
    return new Glob(pattern, Pattern.compile(toRegex(pattern, null)));
  }

  /** Compiles {@code pattern} with a separator character, as gobwas/glob's {@code Compile(p, sep)}. */
  public static Glob compile(String pattern, char separator) {
    return new Glob(pattern, Pattern.compile(toRegex(pattern, separator)));
  }

  /** Whether {@code pattern} uses any glob syntax (and is therefore not a plain name). */
  public static boolean hasWildcards(String pattern) {
    return pattern.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
  }

  public boolean matches(String s) {
    return regex.matcher(s).matches();
  }

  public String pattern() {
    return pattern;
  }

  private static String toRegex(String glob, Character separator) {
    String notSeparator = separator == null ? "." : "[^" + Pattern.quote(String.valueOf(separator)) + "]";
    StringBuilder re = new StringBuilder();
    int braces = 0;
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> {
          if (separator != null && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
            re.append(".*");
            i++;
          } else {
            re.append(notSeparator).append('*');
          }
        }
        case '?' -> re.append(notSeparator);
        case '\\' -> {
          if (++i >= glob.length()) {
            throw invalid(glob, "trailing escape");
          }
          re.append(Pattern.quote(String.valueOf(glob.charAt(i))));
        }
        case '[' -> i = characterClass(glob, i, re);
        case '{' -> {
          braces++;
          re.append("(?:");
        }
        case '}' -> {
          if (braces == 0) {
            throw invalid(glob, "unmatched '}'");
          }
          braces--;
          re.append(')');
        }
        case ',' -> re.append(braces > 0 ? "|" : ",");
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    if (braces > 0) {
      throw invalid(glob, "unclosed '{'");
    }
    return re.toString();
  }

  /** Appends the class starting at {@code start} ('['); returns the index of its closing ']'. */
  private static int characterClass(String glob, int start, StringBuilder re) {
    int i = start + 1;
    StringBuilder cls = new StringBuilder("[");
    if (i < glob.length() && glob.charAt(i) == '!') {
      cls.append('^');
      i++;
    }
    int members = 0;
    for (; i < glob.length() && glob.charAt(i) != ']'; i++) {
      char c = glob.charAt(i);
      if (c == '-' && members > 0 && i + 1 < glob.length() && glob.charAt(i + 1) != ']') {
        cls.append('-');
        continue;
      }
      if (c == '\\' || c == '[' || c == '^' || c == '&' || c == '-') {
        cls.append('\\');
      }
      cls.append(c);
      members++;
    }
    if (i >= glob.length()) {
      throw invalid(glob, "unclosed '['");
    }
    if (members == 0) {
      throw invalid(glob, "empty '[]'");
    }
    re.append(cls).append(']');
    return i;
  }

  private static IllegalArgumentException invalid(String glob, String why) {
    return new IllegalArgumentException("invalid glob pattern \"" + glob + "\": " + why);
  }

  @Override
  public String toString() {
    return pattern;
  }
}
