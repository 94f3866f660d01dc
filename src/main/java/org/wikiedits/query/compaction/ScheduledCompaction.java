package org.wikiedits.query.compaction;

import java.time.Duration;
import java.util.Optional;

/**
 * {@value #KEY}: how often the running app compacts ({@code off}, the default, or a period such as
 * {@code 1h}). When set, the app loads the route folder {@value #ROUTE_FOLDER} (a {@code timer} route
 * calling {@link CompactionProcess}); when off, that route does not exist.
 */
public final class ScheduledCompaction {

    public static final String KEY = "wikiedits.compact.schedule";

    /** The packaged route folder of the schedule, under {@code routes/}. */
    public static final String ROUTE_FOLDER = "local/compact";

    private static final Duration SHORTEST = Duration.ofSeconds(1);

    private ScheduledCompaction() {
    }

    /** The period of {@code text}, or empty for {@code off} (or empty). */
    public static Optional<Duration> period(String text) {
        String value = text == null ? "" : text.trim();
        if (value.isEmpty() || value.equals("off")) {
            return Optional.empty();
        }
        Duration period = ParquetCompaction.duration(value, KEY);
        if (period.compareTo(SHORTEST) < 0) {
            throw new IllegalArgumentException(KEY + " must be off or a period of at least 1s, such as 1h, not '" + text + "'");
        }
        return Optional.of(period);
    }
}
