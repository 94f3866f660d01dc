package org.wikiedits.delivery;

import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import org.wikiedits.config.BatchLimits;

/**
 * What a batch call of one service looks like, for {@link BatchDelivery}: the message body that
 * carries these records to the route's send step, and the error code of each entry of its answer.
 * One small class per service: {@link org.wikiedits.sink.firehose.PutRecordBatchCall} (Firehose), {@link org.wikiedits.sink.kinesis.PutRecordsCall} (Kinesis).
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

    /**
     * The error codes of an answer that counts its refused entries: none refused means every entry
     * was accepted (the entries are only read to pick out the refused ones).
     */
    static List<String> errorCodes(Integer refused, int records, Supplier<List<String>> perEntry) {
        return refused != null && refused == 0 ? Collections.nCopies(records, null) : perEntry.get();
    }

    /**
     * The send step's answer as {@code type}, or a failure naming what {@code step} answered instead
     * and {@code hint} (what to check in the route).
     */
    static <T> T answerAs(Class<T> type, Object answer, String step, String hint) {
        if (!type.isInstance(answer)) {
            throw new IllegalStateException(step + " answered " + (answer == null ? "nothing" : answer.getClass().getName())
                    + " instead of a " + type.getSimpleName() + hint);
        }
        return type.cast(answer);
    }
}
