package org.wikiedits.lambda;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The event Kinesis Data Firehose sends to a data-transformation Lambda, field names as on the wire
 * (https://docs.aws.amazon.com/firehose/latest/dev/data-transformation.html). Own type rather than
 * aws-lambda-java-events so that the zip needs neither that library nor its serialization module.
 * Unknown fields are ignored: Firehose adds fields over time (e.g. for MSK sources).
 *
 * @param invocationId           identifies this batch; only logged
 * @param deliveryStreamArn      the Firehose stream that invokes the function
 * @param sourceKinesisStreamArn present when the Firehose stream reads a Kinesis Data Stream
 * @param region                 the Firehose stream's region
 * @param records                the batch; every {@code recordId} must be answered exactly once
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FirehoseTransformationRequest(
        String invocationId,
        String deliveryStreamArn,
        String sourceKinesisStreamArn,
        String region,
        List<Record> records) {

    public FirehoseTransformationRequest {
        records = records == null ? List.of() : List.copyOf(records);
    }

    /**
     * One buffered record.
     *
     * @param recordId                    the id the response must echo
     * @param approximateArrivalTimestamp epoch milliseconds when Firehose received the record
     * @param data                        the record's bytes, base64-encoded (here: one recentchange JSON event)
     * @param kinesisRecordMetadata       where the record came from, when the source is a Kinesis stream
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Record(
            String recordId,
            Long approximateArrivalTimestamp,
            String data,
            KinesisRecordMetadata kinesisRecordMetadata) {
    }

    /**
     * The Kinesis Data Stream coordinates of a record. Kept as text: AWS's own samples send
     * {@code approximateArrivalTimestamp} and {@code subsequenceNumber} sometimes as numbers, sometimes
     * as strings, and nothing here computes with them.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record KinesisRecordMetadata(
            String shardId,
            String partitionKey,
            String approximateArrivalTimestamp,
            String sequenceNumber,
            String subsequenceNumber) {
    }
}
