package org.wikiedits.testing;

import java.time.Instant;
import java.util.AbstractList;
import java.util.HashSet;
import java.util.List;
import java.util.RandomAccess;
import java.util.Set;
import org.wikiedits.source.generator.SyntheticEvents;
import org.wikiedits.transform.MalformedEventException;
import org.wikiedits.transform.RecentChange;
import org.wikiedits.transform.RecentChangeReader;

/**
 * A long stream computed line by line instead of held in memory (a soak serves hundreds of thousands):
 * the recorded samples first, then generated events {@code eventSpacingNanos} apart in event time,
 * where in every hundred lines one repeats the event forty lines earlier (a replay) and one is
 * malformed (a dead letter). Feed it to {@link SseTestServer}.
 */
public final class GeneratedStream extends AbstractList<String> implements RandomAccess {

    private static final int BLOCK = 100;
    private static final int REPEAT_AT = 49;
    private static final int MALFORMED_AT = 99;

    private final List<String> samples;
    private final int generatedLines;
    private final Instant start;
    private final long eventSpacingNanos;

    private GeneratedStream(List<String> samples, int generatedLines, Instant start, long eventSpacingNanos) {
        this.samples = List.copyOf(samples);
        this.generatedLines = generatedLines;
        this.start = start;
        this.eventSpacingNanos = eventSpacingNanos;
    }

    /** The samples (when present), then {@code generatedLines} generated lines, event times from {@code start} at {@code eventsPerSecond}. */
    public static GeneratedStream of(int generatedLines, Instant start, double eventsPerSecond) {
        return new GeneratedStream(Samples.linesIfPresent(), generatedLines, start, (long) (1e9 / eventsPerSecond));
    }

    @Override
    public String get(int index) {
        if (index < samples.size()) {
            return samples.get(index);
        }
        int line = index - samples.size();
        if (line >= generatedLines) {
            throw new IndexOutOfBoundsException(index);
        }
        return switch (line % BLOCK) {
            case MALFORMED_AT -> PipelineFixture.MALFORMED.get((line / BLOCK) % PipelineFixture.MALFORMED.size());
            case REPEAT_AT -> event(eventNumber(line - 40));
            default -> event(eventNumber(line));
        };
    }

    @Override
    public int size() {
        return samples.size() + generatedLines;
    }

    /** Event number (from 1) of a generated line that is neither a repeat nor malformed. */
    private static long eventNumber(int line) {
        int inBlock = line % BLOCK;
        return 1L + line - 2L * (line / BLOCK) - (inBlock > REPEAT_AT ? 1 : 0);
    }

    private String event(long n) {
        return SyntheticEvents.event(n, start.plusNanos(eventSpacingNanos * n));
    }

    /** The {@code meta.id}s that must land once each among the first {@code lines} lines: every readable, non-canary event. */
    public Set<String> expectedIds(int lines) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < lines; i++) {
            try {
                RecentChange rc = RecentChangeReader.read(get(i));
                if (!rc.isCanary()) {
                    ids.add(rc.eventId());
                }
            } catch (MalformedEventException e) {
                // a dead letter
            }
        }
        return ids;
    }

    /** How many of the first {@code lines} lines cannot be read (each must become one source dead letter). */
    public int malformedLines(int lines) {
        int count = 0;
        for (int i = 0; i < lines; i++) {
            try {
                RecentChangeReader.read(get(i));
            } catch (MalformedEventException e) {
                count++;
            }
        }
        return count;
    }
}
