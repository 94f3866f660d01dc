package org.wikiedits.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The event time the windowed live panels cover, up to the newest event indexed (so a replayed recording
 * reads like the live stream): the {@link Span} the request chose ({@code ?window=}), ending at the newest
 * event. A fixed span covers {@code (from, to]}, so that its rate bars end at the newest event and each
 * is whole; {@link Span#ALL} covers {@code [oldest, newest]}.
 */
public record LiveWindow(Span span, Instant from, Instant to) {

    /** The choices of {@code ?window=}. */
    public enum Span {
        MINUTES_15("15m", Duration.ofMinutes(15), "last 15 minutes of event time"),
        HOUR("1h", Duration.ofHours(1), "last hour of event time"),
        DAY("24h", Duration.ofHours(24), "last 24 hours of event time"),
        ALL("all", null, "everything indexed");

        final String parameter;
        final Duration length;
        final String label;

        Span(String parameter, Duration length, String label) {
            this.parameter = parameter;
            this.length = length;
            this.label = label;
        }

        public String parameter() {
            return parameter;
        }
    }

    /** The window when the request names none: the API's answers stay what they were before the choice. */
    public static final Span DEFAULT = Span.MINUTES_15;

    /** Rate bar widths, the narrowest that keeps a window to at most {@link #MAX_BARS} bars is used. */
    private static final List<Duration> BARS = List.of(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1),
            Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(3), Duration.ofHours(6),
            Duration.ofHours(12), Duration.ofDays(1), Duration.ofDays(7), Duration.ofDays(30), Duration.ofDays(91),
            Duration.ofDays(365));
    private static final int MAX_BARS = 120;

    /** The default window ending at {@code newest}. */
    public static LiveWindow endingAt(Instant newest) {
        return of(DEFAULT, newest, newest);
    }

    /** The window {@code span} over an index whose events run from {@code oldest} to {@code newest}. */
    public static LiveWindow of(Span span, Instant oldest, Instant newest) {
        return new LiveWindow(span, span.length == null ? oldest : newest.minus(span.length), newest);
    }

    /** What the panels say they cover, such as {@code last 15 minutes of event time}. */
    public String label() {
        return span.label;
    }

    /** The width of one rate bar: 10 s for 15 minutes, wider for longer windows (at most {@value #MAX_BARS} bars). */
    public Duration bar() {
        Duration length = Duration.between(from, to);
        return BARS.stream().filter(bar -> length.dividedBy(bar) < MAX_BARS).findFirst().orElse(BARS.get(BARS.size() - 1));
    }

    /** The request's query: a filter on the window, cached by OpenSearch and not scored. */
    public String query() {
        return query(null);
    }

    /** As {@link #query()}, with one more filter clause. */
    public String query(String extraFilter) {
        String range = "{\"range\":{\"@timestamp\":{\"" + (span == Span.ALL ? "gte" : "gt") + "\":" + from.toEpochMilli()
                + ",\"lte\":" + to.toEpochMilli() + ",\"format\":\"epoch_millis\"}}}";
        return "\"query\":{\"bool\":{\"filter\":[" + range + (extraFilter == null ? "" : "," + extraFilter) + "]}}";
    }
}
