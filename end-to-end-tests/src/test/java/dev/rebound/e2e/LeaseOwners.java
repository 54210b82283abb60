package dev.rebound.e2e;

import dev.rebound.servers.ReboundServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which instance of a service owns a partition of {@code rebound.restore-events} now, as its own log
 * says: {@code PartitionLease} logs {@code rebound.restore-events: now owning partitions [0, 1]} on
 * assignment and {@code rebound.restore-events: partitions [0] released} (or {@code lost}) when they
 * go. The coordinator and the status-reporter both hold their partitions through it.
 */
final class LeaseOwners {

  private static final Pattern LINE = Pattern.compile(
      "rebound\\.restore-events: (?:now owning partitions \\[([0-9, ]*)]|partitions \\[([0-9, ]*)] (?:released|lost))");

  private LeaseOwners() {}

  /** The partitions an instance's log says it owns now. */
  static Set<Integer> owned(ReboundServices.Running instance) {
    Set<Integer> owned = new HashSet<>();
    try {
      Matcher m = LINE.matcher(Files.readString(instance.process().log()));
      while (m.find()) {
        if (m.group(1) != null) {
          owned.addAll(numbers(m.group(1)));
        } else {
          owned.removeAll(numbers(m.group(2)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return owned;
  }

  /** The live instances whose logs say they own {@code partition}. */
  static List<ReboundServices.Running> ownersOf(int partition, List<ReboundServices.Running> instances) {
    return instances.stream().filter(i -> i.process().isAlive() && owned(i).contains(partition)).toList();
  }

  private static Set<Integer> numbers(String list) {
    Set<Integer> numbers = new HashSet<>();
    for (String n : list.split(",")) {
      if (!n.isBlank()) {
        numbers.add(Integer.parseInt(n.trim()));
      }
    }
    return numbers;
  }
}
