package org.wikiedits.sink.firehose;

import org.wikiedits.delivery.OutgoingRecord;

/**
 * One event on its way to a Firehose delivery stream: the original JSON bytes (the transformation
 * Lambdas of the stream read them), the event's sequence number in the commit protocol, and its
 * {@code meta.id} for log and dead-letter messages.
 */
public record FirehoseRecord(byte[] data, long seq, String eventId) implements OutgoingRecord {

    @Override
    public long size() {
        return data.length;
    }
}
