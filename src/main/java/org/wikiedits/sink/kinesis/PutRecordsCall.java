package org.wikiedits.sink.kinesis;

import java.util.List;
import org.wikiedits.config.BatchLimits;
import org.wikiedits.delivery.BatchCall;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * Kinesis PutRecords, the send step of {@code routes/aws/kinesis/publish.camel.yaml} (bean
 * {@code kinesisPutRecords}, method {@link #send}): one entry per record, keyed by its own partition
 * key, on the {@link KinesisClient} that the aws2-kinesis component is configured with.
 *
 * <p>Why not {@code to: aws2-kinesis:}: in Camel 4.17 the producer's batch mode (an {@code Iterable}
 * body) gives every entry of a batch the one partition key of the exchange, and when Kinesis refuses
 * some entries it throws an exception without the per-entry results, so a retry could only re-send
 * the whole batch (the accepted records again) and all events would land on one shard.
 */
public final class PutRecordsCall implements BatchCall<KinesisRecord> {

    private final String stream;
    private final KinesisClient client;

    public PutRecordsCall(String stream, KinesisClient client) {
        this.stream = stream;
        this.client = client;
    }

    /** The route's send step: one PutRecords call. */
    public PutRecordsResponse send(PutRecordsRequest request) {
        return client.putRecords(request);
    }

    @Override
    public BatchLimits limits() {
        return BatchLimits.PUT_RECORDS;
    }

    @Override
    public Object request(List<KinesisRecord> records) {
        return PutRecordsRequest.builder().streamName(stream).records(records.stream().map(record -> PutRecordsRequestEntry.builder()
                .data(SdkBytes.fromByteArrayUnsafe(record.data())).partitionKey(record.partitionKey()).build()).toList()).build();
    }

    @Override
    public List<String> errorCodes(Object answer, int records) {
        PutRecordsResponse response = BatchCall.answerAs(PutRecordsResponse.class, answer, "the PutRecords step", "");
        return BatchCall.errorCodes(response.failedRecordCount(), records,
                () -> response.records().stream().map(PutRecordsResultEntry::errorCode).toList());
    }
}
