package org.wikiedits.transform;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * The lake's partitioning, by event time in UTC (not arrival time: replays and backfills arrive
 * late): {@code dt=YYYY-MM-DD/hour=HH}. Used by the lake writer and by the Firehose Lambda's
 * dynamic-partitioning keys, so both lay files out the same way.
 */
public final class LakePartition {

    /** Partition key: the event's UTC date, {@code YYYY-MM-DD}. */
    public static final String DT = "dt";
    /** Partition key: the event's UTC hour, {@code HH}. */
    public static final String HOUR = "hour";

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR_OF_DAY = DateTimeFormatter.ofPattern("HH").withZone(ZoneOffset.UTC);

    private LakePartition() {
    }

    /** The partition keys {@code dt} and {@code hour} of an event time. */
    public static Map<String, String> keys(Instant eventTime) {
        return Map.of(DT, DAY.format(eventTime), HOUR, HOUR_OF_DAY.format(eventTime));
    }

    /** The partition's relative path, {@code dt=YYYY-MM-DD/hour=HH}. */
    public static String path(Instant eventTime) {
        return DT + "=" + DAY.format(eventTime) + "/" + HOUR + "=" + HOUR_OF_DAY.format(eventTime);
    }
}
