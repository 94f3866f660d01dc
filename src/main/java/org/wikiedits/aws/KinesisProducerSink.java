package org.wikiedits.aws;

import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikiedits.checkpoint.CommitTracker;
import org.wikiedits.deadletter.DeadLetterStore;

/**
 * The aws-mode producer behind {@code direct:publish}: one Kinesis record per event, holding the
 * original bytes, keyed by a hash of {@code meta.id}, sent in PutRecords batches ({@link BatchingSink}).
 * The source checkpoint advances only after Kinesis has acknowledged.
 *
 * <p>Why not the camel-aws2-kinesis producer: in Camel 4.17 its batch mode (an {@code Iterable} body)
 * uses one partition key for the whole batch and turns a partial failure into an exception without
 * the per-entry results, so a retry would re-send the records that did succeed (duplicates) and all
 * events would land on one shard. So this class calls PutRecords on the {@code KinesisClient} bean
 * that the aws2-kinesis component is also configured with (autowired), through {@link PutRecordsCall}.
 */
public final class KinesisProducerSink extends BatchingSink<KinesisRecord> {

    /** The name of this sink in the commit protocol. */
    public static final String SINK = "kinesis";

    private static final Logger LOG = LoggerFactory.getLogger(KinesisProducerSink.class);

    /** {@code problem} is the holder {@code retry} reports to while it retries. */
    public KinesisProducerSink(RecordBatcher<KinesisRecord> batcher, BatchRetry<KinesisRecord> retry, SinkProblem problem,
            CommitTracker tracker, DeadLetterStore deadLetters, LongSupplier clock) {
        super(SINK, "Kinesis producer", batcher, retry, problem, tracker, deadLetters, clock);
    }

    @Override
    protected KinesisRecord record(String raw, String eventId, long seq) {
        return new KinesisRecord(raw.getBytes(StandardCharsets.UTF_8), KinesisRecord.partitionKeyOf(eventId), seq);
    }

    /** Sends what is pending (the producer is stopped after the routes that feed it). */
    @Override
    protected void doStop() throws Exception {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("Stopping with records Kinesis has not acknowledged; they are replayed on the next start: {}", e.getMessage());
        }
        LOG.info("Kinesis producer closed: {} records acknowledged in {} PutRecords calls, {} re-sent after partial failures",
                delivered(), calls(), resentRecords());
    }
}
