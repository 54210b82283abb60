package dev.rebound.itemrestorer.actions;

import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A restore hook's namespace filter ({@code includedNamespaces}/{@code excludedNamespaces},
 * reference 3.13), matched as Velero's {@code collections.IncludesExcludes} does
 * ({@code pkg/util/collections/includes_excludes.go}): a namespace matching any exclude is out;
 * otherwise it is in when the includes are empty, contain the literal {@code *}, or any include
 * matches it.
 *
 * <p>Entries are gobwas/glob patterns compiled without separators: {@code *} (and {@code **}) any
 * run of characters, {@code ?} one character, {@code [abc]}/{@code [!abc]} one of (not one of) the
 * listed characters, {@code [a-z]}/{@code [!a-z]} one range (only one per bracket),
 * {@code {a,b}} alternatives (nestable; an unclosed brace is closed at the end), {@code \} takes
 * the next character literally (a trailing one is dropped); {@code ]}, {@code }} and {@code ,}
 * outside their constructs are plain characters.
 *
 * <p>Velero quirk followed: each list is a set scanned in sorted order, and the scan stops with
 * "no match" at the first entry that is not a valid glob (e.g. an unclosed {@code [}), so an
 * invalid entry hides the entries sorting after it.
 */
public final class NamespaceSelector {

  private final List<String> includes;
  private final List<String> excludes;

  public NamespaceSelector(List<String> includes, List<String> excludes) {
    this.includes = sortedSet(includes);
    this.excludes = sortedSet(excludes);
  }

  /** Whether the hook applies to pods of this (target) namespace. */
  public boolean includes(String namespace) {
    if (anyMatches(excludes, namespace)) {
      return false;
    }
    return includes.isEmpty() || includes.contains("*") || anyMatches(includes, namespace);
  }

  private static List<String> sortedSet(List<String> values) {
    return values == null ? List.of() : List.copyOf(new TreeSet<>(values));
  }

  private static boolean anyMatches(List<String> patterns, String value) {
    for (String pattern : patterns) {
      Optional<Pattern> regex = compile(pattern);
      if (regex.isEmpty()) {
        return false;
      }
      if (regex.get().matcher(value).matches()) {
        return true;
      }
    }
    return false;
  }

  /** The glob as a regular expression; empty when gobwas/glob would refuse to compile it. */
  static Optional<Pattern> compile(String glob) {
    try {
      return Optional.of(Pattern.compile(new Translator(glob).translate(), Pattern.DOTALL));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Translates a gobwas glob, following its lexer's and parser's rules. */
  private static final class Translator {
    private final int[] cps;
    private int pos;
    private int depth;
    private final StringBuilder regex = new StringBuilder();

    Translator(String glob) {
      this.cps = glob.codePoints().toArray();
    }

    String translate() {
      while (pos < cps.length) {
        int c = cps[pos];
        if (c == '{') {
          depth++;
          regex.append("(?:");
          pos++;
        } else if (c == ',' && depth > 0) {
          regex.append('|');
          pos++;
        } else if (c == '}' && depth > 0) {
          depth--;
          regex.append(')');
          pos++;
        } else if (c == '[') {
          pos++;
          range();
        } else if (c == '?') {
          regex.append('.');
          pos++;
        } else if (c == '*') {
          regex.append(".*");
          pos++;
        } else {
          text();
        }
      }
      regex.append(")".repeat(depth));
      return regex.toString();
    }

    /** Literal text up to the next special character; {@code \} escapes. */
    private void text() {
      StringBuilder literal = new StringBuilder();
      boolean escaped = false;
      while (pos < cps.length) {
        int c = cps[pos];
        if (!escaped) {
          if (c == '\\') {
            escaped = true;
            pos++;
            continue;
          }
          if (c == '?' || c == '*' || c == '[' || c == '{' || (depth > 0 && (c == '}' || c == ','))) {
            break;
          }
        }
        escaped = false;
        literal.appendCodePoint(c);
        pos++;
      }
      if (literal.length() > 0) {
        regex.append(Pattern.quote(literal.toString()));
      }
    }

    /** After {@code [}: {@code [!]lo-hi]} or {@code [!]chars]}. */
    private void range() {
      boolean not = false;
      if (pos < cps.length && cps[pos] == '!') {
        not = true;
        pos++;
      }
      if (pos >= cps.length) {
        throw new IllegalArgumentException("unexpected end of input");
      }
      if (pos + 1 < cps.length && cps[pos + 1] == '-') {
        int lo = cps[pos];
        pos += 2;
        if (pos >= cps.length) {
          throw new IllegalArgumentException("unexpected end of input");
        }
        int hi = cps[pos++];
        if (pos >= cps.length) {
          throw new IllegalArgumentException("unexpected end of input");
        }
        if (cps[pos++] != ']') {
          throw new IllegalArgumentException("expected close range character");
        }
        if (hi < lo) {
          throw new IllegalArgumentException("hi character should be greater than lo");
        }
        regex.append(not ? "[^" : "[").append(escape(lo)).append('-').append(escape(hi)).append(']');
        return;
      }
      StringBuilder chars = new StringBuilder();
      boolean escaped = false;
      while (pos < cps.length) {
        int c = cps[pos];
        if (!escaped && c == '\\') {
          escaped = true;
          pos++;
          continue;
        }
        if (!escaped && c == ']') {
          break;
        }
        escaped = false;
        chars.append(escape(c));
        pos++;
      }
      if (pos >= cps.length) {
        throw new IllegalArgumentException("unexpected end of input");
      }
      pos++; // the ']'
      if (chars.length() == 0) {
        throw new IllegalArgumentException("could not parse range");
      }
      regex.append(not ? "[^" : "[").append(chars).append(']');
    }

    private static String escape(int codePoint) {
      return "\\x{" + Integer.toHexString(codePoint) + "}";
    }
  }
}
