package org.wikiedits.bench;

import java.time.Instant;
import java.util.AbstractList;
import java.util.RandomAccess;
import org.wikiedits.source.generator.SyntheticEvents;

/**
 * {@code size} generated events with unique {@code meta.id}s, computed line by line (a million would not fit in
 * memory as strings), event times {@code 10 ms} apart from {@code start}: a backfill spanning hours, so the lake
 * writes several partitions. About one in 250 is a canary, as in the live stream ({@link #canaries}).
 */
final class BenchEvents extends AbstractList<String> implements RandomAccess {

    private static final long SPACING_NANOS = 10_000_000L;

    private final int size;
    private final Instant start;

    BenchEvents(int size, Instant start) {
        this.size = size;
        this.start = start;
    }

    @Override
    public String get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        return SyntheticEvents.event(index + 1L, start.plusNanos(SPACING_NANOS * index));
    }

    @Override
    public int size() {
        return size;
    }

    static boolean isCanary(String event) {
        return event.contains("\"domain\":\"canary\"");
    }

    /** How many of the events are canaries (dropped by the pipeline, so in no sink). */
    int canaries() {
        int count = 0;
        for (int i = 0; i < size; i++) {
            if (isCanary(get(i))) {
                count++;
            }
        }
        return count;
    }

    /** The {@code meta.id} of event {@code index} (0-based). */
    static String eventId(int index) {
        return SyntheticEvents.eventId(index + 1L).toString();
    }
}
