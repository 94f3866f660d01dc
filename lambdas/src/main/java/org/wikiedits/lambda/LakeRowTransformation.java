package org.wikiedits.lambda;

import org.wikiedits.transform.CsvRow;
import org.wikiedits.transform.LakePartition;
import org.wikiedits.transform.RecentChange;

/**
 * Event → lake row ({@link CsvRow#of}, which already ends in {@code \n}, so the S3 destination must
 * not add a delimiter) with the partition keys of the lake layout {@code dt=YYYY-MM-DD/hour=HH},
 * taken from the event time in UTC (not the arrival time: replays and backfills arrive late).
 * The Firehose S3 prefix reads them as {@code dt=!{partitionKeyFromLambda:dt}/hour=!{partitionKeyFromLambda:hour}/}.
 */
public final class LakeRowTransformation implements EventTransformation {

    @Override
    public TransformedEvent apply(RecentChange rc) {
        return new TransformedEvent(CsvRow.of(rc), LakePartition.keys(rc.eventTime()));
    }
}
