package dev.rebound.statusreporter.auth;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Answers kept for a while, so a page that polls or a burst of calls does not send one review per
 * request to the management cluster. Bounded: when full, expired entries go, then arbitrary ones.
 */
final class TtlCache<K, V> {

  private record Entry<V>(V value, long expiresAt) {}

  private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
  private final long ttlNanos;
  private final int maxEntries;
  private final LongSupplier nanoTime;

  TtlCache(Duration ttl, int maxEntries, LongSupplier nanoTime) {
    this.ttlNanos = ttl.toNanos();
    this.maxEntries = maxEntries;
    this.nanoTime = nanoTime;
  }

  V get(K key) {
    Entry<V> entry = entries.get(key);
    if (entry == null) {
      return null;
    }
    if (nanoTime.getAsLong() - entry.expiresAt() >= 0) {
      entries.remove(key, entry);
      return null;
    }
    return entry.value();
  }

  void put(K key, V value) {
    if (ttlNanos <= 0) {
      return;
    }
    long now = nanoTime.getAsLong();
    if (entries.size() >= maxEntries) {
      entries.values().removeIf(e -> now - e.expiresAt() >= 0);
      Iterator<K> keys = entries.keySet().iterator();
      while (entries.size() >= maxEntries && keys.hasNext()) {
        keys.next();
        keys.remove();
      }
    }
    entries.put(key, new Entry<>(value, now + ttlNanos));
  }
}
