package org.wikiedits.dashboard;

import java.time.Duration;
import java.time.Instant;

/**
 * The event time the windowed live panels cover: the last {@link #LENGTH} up to the newest event
 * indexed, so a replayed recording reads like the live stream.
 */
public record LiveWindow(Instant from, Instant to) {

    /** How much event time the windowed panels cover. */
    public static final Duration LENGTH = Duration.ofMinutes(15);

    public static LiveWindow endingAt(Instant newest) {
        return new LiveWindow(newest.minus(LENGTH), newest);
    }

    /** The request's query: a filter on the window, cached by OpenSearch and not scored. */
    public String query() {
        return query(null);
    }

    /** As {@link #query()}, with one more filter clause. */
    public String query(String extraFilter) {
        String range = "{\"range\":{\"@timestamp\":{\"gte\":" + from.toEpochMilli() + ",\"lte\":"
                + to.toEpochMilli() + ",\"format\":\"epoch_millis\"}}}";
        return "\"query\":{\"bool\":{\"filter\":[" + range + (extraFilter == null ? "" : "," + extraFilter) + "]}}";
    }
}
