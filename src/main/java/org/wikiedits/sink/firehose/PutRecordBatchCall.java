package org.wikiedits.sink.firehose;

import java.util.List;
import org.wikiedits.config.BatchLimits;
import org.wikiedits.delivery.BatchCall;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponse;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponseEntry;
import software.amazon.awssdk.services.firehose.model.Record;

/**
 * Firehose PutRecordBatch as the {@code aws2-kinesis-firehose:<stream>?operation=sendBatchRecord}
 * endpoint takes and answers it: the body is the list of SDK {@link Record}s (each event's data only),
 * the answer the whole {@link PutRecordBatchResponse}, whose entries carry an ErrorCode where a record
 * was refused.
 */
public final class PutRecordBatchCall implements BatchCall<FirehoseRecord> {

    @Override
    public BatchLimits limits() {
        return BatchLimits.PUT_RECORD_BATCH;
    }

    @Override
    public Object request(List<FirehoseRecord> records) {
        return records.stream().map(record -> Record.builder().data(SdkBytes.fromByteArrayUnsafe(record.data())).build()).toList();
    }

    @Override
    public List<String> errorCodes(Object answer, int records) {
        PutRecordBatchResponse response = BatchCall.answerAs(PutRecordBatchResponse.class, answer, "the Firehose endpoint",
                "; is its operation sendBatchRecord?");
        return BatchCall.errorCodes(response.failedPutCount(), records,
                () -> response.requestResponses().stream().map(PutRecordBatchResponseEntry::errorCode).toList());
    }
}
