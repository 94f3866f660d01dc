package org.wikiedits.aws;

import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/** Kinesis PutRecords as a {@link BatchRetry.BatchCall}: one entry per record, keyed by its partition key. */
public final class PutRecordsCall {

    private PutRecordsCall() {
    }

    /** @param putRecords the call, normally {@code kinesisClient::putRecords} */
    public static BatchRetry.BatchCall<KinesisRecord> to(String stream, Function<PutRecordsRequest, PutRecordsResponse> putRecords) {
        return records -> {
            List<PutRecordsRequestEntry> entries = records.stream().map(record -> PutRecordsRequestEntry.builder()
                    .data(SdkBytes.fromByteArrayUnsafe(record.data())).partitionKey(record.partitionKey()).build()).toList();
            PutRecordsResponse response = putRecords.apply(PutRecordsRequest.builder().streamName(stream).records(entries).build());
            return response.records().stream().map(PutRecordsResultEntry::errorCode).toList();
        };
    }
}
