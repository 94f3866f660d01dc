package org.wikiedits.lambda;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.wikiedits.transform.CsvRow;
import org.wikiedits.transform.RecentChange;

/**
 * Event → lake row ({@link CsvRow#of}, which already ends in {@code \n}, so the S3 destination must
 * not add a delimiter) with the partition keys of the lake layout {@code dt=YYYY-MM-DD/hour=HH},
 * taken from the event time in UTC (not the arrival time: replays and backfills arrive late).
 * The Firehose S3 prefix reads them as {@code dt=!{partitionKeyFromLambda:dt}/hour=!{partitionKeyFromLambda:hour}/}.
 */
public final class LakeRowTransformation implements EventTransformation {

    /** Partition key: the event's UTC date, {@code YYYY-MM-DD}. */
    public static final String DT = "dt";
    /** Partition key: the event's UTC hour, {@code HH}. */
    public static final String HOUR = "hour";

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR_OF_DAY = DateTimeFormatter.ofPattern("HH").withZone(ZoneOffset.UTC);

    @Override
    public TransformedEvent apply(RecentChange rc) {
        return new TransformedEvent(CsvRow.of(rc), partitionKeys(rc.eventTime()));
    }

    /** The lake partition of an event time: {@code dt} and {@code hour} in UTC. */
    public static Map<String, String> partitionKeys(Instant eventTime) {
        return Map.of(DT, DAY.format(eventTime), HOUR, HOUR_OF_DAY.format(eventTime));
    }
}
