package org.wikiedits.sink.kinesis;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.camel.CamelContext;
import org.wikiedits.commit.CommitTracker;
import org.wikiedits.commit.DeadLetterStore;
import org.wikiedits.commit.FlushOnStop;
import org.wikiedits.commit.SinkHealth;
import org.wikiedits.config.AwsSettings;
import org.wikiedits.config.BatchLimits;
import org.wikiedits.delivery.Backoff;
import org.wikiedits.delivery.BatchDelivery;
import org.wikiedits.delivery.BatchedStream;
import org.wikiedits.delivery.RecordBatcher;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The beans of the aws-mode producer, which {@code routes/aws/kinesis/publish.camel.yaml} refers to:
 * {@code kinesisBatches} ({@link org.wikiedits.delivery.EventBatches}: one record per event, its original bytes, keyed by a
 * hash of {@code meta.id}, in PutRecords batches), {@code kinesisPutRecords} ({@link PutRecordsCall},
 * the route's send step) and {@code kinesisDelivery} ({@link BatchDelivery}), known to the commit
 * tracker as {@value #SINK}: the source checkpoint advances only after Kinesis has acknowledged.
 */
public final class KinesisBeans {

    /** The name of the producer in the commit protocol. */
    public static final String SINK = "kinesis";

    /** The queue the route file's {@code kinesis} route reads. */
    static final String QUEUE = "seda:kinesis";

    private KinesisBeans() {
    }

    /** Binds the producer's beans on {@code client} (bound as {@code kinesisClient} by the caller); returns its health. */
    public static SinkHealth bind(CamelContext context, AwsSettings settings, KinesisClient client, CommitTracker tracker,
            DeadLetterStore deadLetters) {
        PutRecordsCall putRecords = new PutRecordsCall(settings.stream(), client);
        context.getRegistry().bind("kinesisPutRecords", putRecords);
        BatchDelivery<KinesisRecord> delivery = BatchedStream.bind(context, "kinesis", SINK, settings.stream(), putRecords,
                new RecordBatcher<>(BatchLimits.PUT_RECORDS, settings.batchRecords(), settings.batchBytes(), settings.lingerMillis()),
                (raw, eventId, seq) -> new KinesisRecord(raw.getBytes(StandardCharsets.UTF_8), KinesisRecord.partitionKeyOf(eventId), seq),
                new Backoff(settings.retryBaseMillis(), settings.retryMaxMillis()), tracker, deadLetters);
        context.addLifecycleStrategy(new FlushOnStop(List.of(QUEUE)));
        return delivery;
    }
}
