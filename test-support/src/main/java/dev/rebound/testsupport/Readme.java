package dev.rebound.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads the project's README so tests can check it lists what the code defines. */
public final class Readme {

  private Readme() {}

  public static String text() {
    try {
      return Files.readString(Path.of(System.getProperty("rebound.project.root"), "README.md"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Fails unless the README documents every key of the given mappings, either in full or with the
   * first mapping's prefix written as {@code <prefix>} (as shared tables of two services do).
   */
  public static void assertConfigDocumented(Class<?> serviceMapping, Class<?>... shared) {
    String readme = text();
    String prefix = prefixOf(serviceMapping);
    List<Class<?>> all = new ArrayList<>(List.of(serviceMapping));
    all.addAll(List.of(shared));
    for (Class<?> mapping : all) {
      for (String key : configKeys(mapping)) {
        String generic = key.replace(prefix + ".", "<prefix>.");
        if (!readme.contains("`" + key + "`") && !readme.contains("`" + generic + "`")) {
          throw new AssertionError(key + " is not documented in README.md");
        }
      }
    }
  }

  /**
   * Every property of a {@code @ConfigMapping} interface, in kebab case under its prefix; a map's
   * key shows as {@code <name>}, as the README's configuration tables write it.
   */
  public static List<String> configKeys(Class<?> mapping) {
    List<String> keys = new ArrayList<>();
    collect(mapping, prefixOf(mapping), keys);
    return keys;
  }

  /** The {@code prefix} of the mapping's {@code @ConfigMapping} (read by name: no SmallRye API needed). */
  public static String prefixOf(Class<?> mapping) {
    return java.util.Arrays.stream(mapping.getAnnotations())
        .filter(a -> a.annotationType().getSimpleName().equals("ConfigMapping"))
        .findFirst()
        .map(a -> {
          try {
            return (String) a.annotationType().getMethod("prefix").invoke(a);
          } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
          }
        })
        .orElseThrow(() -> new IllegalArgumentException(mapping + " is not a @ConfigMapping"));
  }

  private static void collect(Class<?> group, String prefix, List<String> keys) {
    for (Method m : group.getMethods()) {
      if (!Modifier.isAbstract(m.getModifiers()) || m.getParameterCount() > 0) {
        continue;
      }
      String key = prefix + "." + kebab(m.getName());
      Type type = m.getGenericReturnType();
      if (m.getReturnType() == Map.class) {
        Type value = ((ParameterizedType) type).getActualTypeArguments()[1];
        collectValue(value, key + ".<name>", keys);
      } else if (m.getReturnType() == Optional.class) {
        keys.add(key);
      } else {
        collectValue(m.getReturnType(), key, keys);
      }
    }
  }

  private static void collectValue(Type type, String key, List<String> keys) {
    if (type instanceof Class<?> c && c.isInterface() && !c.getName().startsWith("java.")) {
      collect(c, key, keys);
    } else {
      keys.add(key);
    }
  }

  private static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
  }
}
