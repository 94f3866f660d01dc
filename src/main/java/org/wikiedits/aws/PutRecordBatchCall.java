package org.wikiedits.aws;

import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponse;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponseEntry;
import software.amazon.awssdk.services.firehose.model.Record;

/** Firehose PutRecordBatch as a {@link BatchRetry.BatchCall}: one record per event, its data only. */
public final class PutRecordBatchCall {

    private PutRecordBatchCall() {
    }

    /** @param putRecordBatch one PutRecordBatch call to the stream with these records, in order */
    public static BatchRetry.BatchCall<FirehoseRecord> to(Function<List<Record>, PutRecordBatchResponse> putRecordBatch) {
        return records -> {
            PutRecordBatchResponse response = putRecordBatch.apply(records.stream()
                    .map(record -> Record.builder().data(SdkBytes.fromByteArrayUnsafe(record.data())).build()).toList());
            if (response.failedPutCount() != null && response.failedPutCount() == 0) {
                // all accepted: the count says so; the entries are only read to pick out the refused ones
                return Collections.nCopies(records.size(), null);
            }
            return response.requestResponses().stream().map(PutRecordBatchResponseEntry::errorCode).toList();
        };
    }
}
