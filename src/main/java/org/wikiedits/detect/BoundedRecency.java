package org.wikiedits.detect;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map that keeps only its {@code capacity} most recently used keys (the least recently used one goes
 * when a new one comes): the detectors' small per-subject memories, bounded whatever the stream holds.
 */
final class BoundedRecency<K, V> extends LinkedHashMap<K, V> {

    private final int capacity;

    BoundedRecency(int capacity) {
        super(16, 0.75f, true);
        this.capacity = capacity;
    }

    int capacity() {
        return capacity;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
    }
}
