package org.wikiedits.sink.kinesis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.wikiedits.delivery.OutgoingRecord;

/**
 * One event on its way into Kinesis: the original bytes, the partition key and the event's sequence
 * number in the commit protocol ({@link org.wikiedits.commit.CommitTracker}).
 */
public record KinesisRecord(byte[] data, String partitionKey, long seq) implements OutgoingRecord {

    /**
     * The partition key of an event: the hex MD5 of its {@code meta.id}. Kinesis maps the MD5 of the
     * key onto the shards' hash ranges, so a hash spreads events evenly whatever the ids look like,
     * while repeats of one id (replays) still land on the same shard, in order.
     */
    public static String partitionKeyOf(String eventId) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            return HexFormat.of().formatHex(md5.digest(eventId.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
    }

    /** What the record counts against the PutRecords limits: data plus partition key. */
    @Override
    public long size() {
        return data.length + (long) partitionKey.getBytes(StandardCharsets.UTF_8).length;
    }
}
