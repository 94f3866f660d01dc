package org.wikiedits.source.kinesis;

import org.wikiedits.commit.AdmitEvent;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.aws2.kinesis.Kinesis2Constants;
import org.wikiedits.commit.Headers;
import org.wikiedits.source.sse.SseConstants;

/**
 * First step of the Camel delivery, before {@link AdmitEvent}: the record's bytes become the event
 * text (UTF-8, whatever the platform charset), and its "event id" for the consumer's commit protocol
 * becomes the shard positions at this record (see {@link ShardPositions}). Runs on the single thread
 * that drains the queue after the Kinesis consumer, so records are admitted in the order they are written.
 */
public final class KinesisRecordIntake implements Processor {

    private final ShardPositions positions;

    public KinesisRecordIntake(ShardPositions positions) {
        this.positions = positions;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        byte[] data = message.getBody(byte[].class);
        message.setBody(data == null ? "" : new String(data, StandardCharsets.UTF_8));
        message.setHeader(Headers.SOURCE_POSITION, positions.advance(
                message.getHeader(Kinesis2Constants.SHARD_ID, String.class),
                message.getHeader(Kinesis2Constants.SEQUENCE_NUMBER, String.class)));
    }
}
