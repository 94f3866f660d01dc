package org.wikiedits.aws;

import java.util.List;

/**
 * What a batch call of one service looks like, for {@link BatchDelivery}: the message body that
 * carries these records to the route's send step, and the error code of each entry of its answer.
 * One small class per service: {@link PutRecordBatchCall} (Firehose), {@link PutRecordsCall} (Kinesis).
 */
public interface BatchCall<R> {

    /** What the service is and what its batch call accepts, for the batcher and for messages. */
    BatchLimits limits();

    /** The body the send step takes: these records, in order, as one call. */
    Object request(List<R> records);

    /**
     * The error code of each entry of the send step's answer to a call with {@code records} records,
     * in request order; {@code null} where the record was accepted.
     */
    List<String> errorCodes(Object answer, int records);
}
