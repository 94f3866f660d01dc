package org.wikiedits.dashboard;

import java.time.Duration;
import java.time.Instant;

/**
 * The search requests of the live panels, each one request with one aggregation (the feed: one
 * sorted, size-limited search), over the index's fields only (the index template in
 * {@code src/main/resources/opensearch/}). Windowed panels cover the last {@link #WINDOW} of
 * event time up to the newest event indexed, so a replayed recording reads like the live stream.
 */
public final class LiveRequests {

    /** How much event time the windowed panels cover. */
    public static final Duration WINDOW = Duration.ofMinutes(15);
    /** Width of one bar of the rate chart; divided out, so the chart shows events per second. */
    public static final Duration RATE_BUCKET = Duration.ofSeconds(10);

    private LiveRequests() {
    }

    /** The exact number of documents and the newest event time. */
    public static String summary() {
        return """
                {"size":0,"track_total_hits":true,"aggs":{"newest":{"max":{"field":"@timestamp"}}}}""";
    }

    /** Events per {@link #RATE_BUCKET} over the window, each bucket split into bot and human. */
    public static String rate(Instant end) {
        Instant start = end.minus(WINDOW);
        return "{\"size\":0," + window(end) + ",\"aggs\":{\"rate\":{\"date_histogram\":{\"field\":\"@timestamp\","
                + "\"fixed_interval\":\"" + RATE_BUCKET.toSeconds() + "s\",\"min_doc_count\":0,"
                + "\"extended_bounds\":{\"min\":" + start.toEpochMilli() + ",\"max\":" + end.toEpochMilli() + "}},"
                + "\"aggs\":{\"bot\":{\"terms\":{\"field\":\"bot\",\"size\":2}}}}}}";
    }

    /** Events per type over the window, each split into bot and human. */
    public static String types(Instant end) {
        return "{\"size\":0," + window(end) + ",\"aggs\":{\"types\":{\"terms\":{\"field\":\"type\",\"size\":10},"
                + "\"aggs\":{\"bot\":{\"terms\":{\"field\":\"bot\",\"size\":2}}}}}}";
    }

    /** The wikis with the most events over the window. */
    public static String topWikis(Instant end, int limit) {
        return "{\"size\":0," + window(end) + ",\"aggs\":{\"wikis\":{\"terms\":{\"field\":\"wiki\",\"size\":" + limit + "}}}}";
    }

    /** The most edited pages (edits and new pages) over the window, by server and title. */
    public static String topPages(Instant end, int limit) {
        return "{\"size\":0," + window(end, "{\"terms\":{\"type\":[\"edit\",\"new\"]}}")
                + ",\"aggs\":{\"pages\":{\"multi_terms\":{\"terms\":[{\"field\":\"server_name\"},{\"field\":\"title.keyword\"}],"
                + "\"size\":" + limit + "}}}}";
    }

    /** The largest additions and removals (by {@code length_delta}) of edits and new pages over the window. */
    public static String biggestChanges(Instant end, int limit) {
        String fields = "\"_source\":[\"@timestamp\",\"server_name\",\"wiki\",\"type\",\"title\",\"user\",\"bot\","
                + "\"length_delta\",\"revision_new\"]";
        return "{\"size\":0," + window(end, "{\"terms\":{\"type\":[\"edit\",\"new\"]}}") + ",\"aggs\":{"
                + "\"additions\":{\"top_hits\":{\"size\":" + limit + ",\"sort\":[{\"length_delta\":{\"order\":\"desc\"}}]," + fields + "}},"
                + "\"removals\":{\"top_hits\":{\"size\":" + limit + ",\"sort\":[{\"length_delta\":{\"order\":\"asc\"}}]," + fields + "}}}}";
    }

    /** The latest changes, newest first. */
    public static String feed(int limit) {
        return "{\"size\":" + limit + ",\"sort\":[{\"@timestamp\":{\"order\":\"desc\"}}],"
                + "\"_source\":[\"@timestamp\",\"server_name\",\"wiki\",\"type\",\"title\",\"user\",\"bot\",\"length_delta\","
                + "\"revision_new\",\"comment\"]}";
    }

    private static String window(Instant end) {
        return window(end, null);
    }

    /** A filter on the window (and an extra clause): filters are cached by OpenSearch and not scored. */
    private static String window(Instant end, String extraFilter) {
        String range = "{\"range\":{\"@timestamp\":{\"gte\":" + end.minus(WINDOW).toEpochMilli() + ",\"lte\":"
                + end.toEpochMilli() + ",\"format\":\"epoch_millis\"}}}";
        return "\"query\":{\"bool\":{\"filter\":[" + range + (extraFilter == null ? "" : "," + extraFilter) + "]}}";
    }
}
