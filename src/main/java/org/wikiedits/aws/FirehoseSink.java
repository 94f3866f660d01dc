package org.wikiedits.aws;

import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Processor;
import org.apache.camel.spi.ShutdownPrepared;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikiedits.checkpoint.CommitTracker;
import org.wikiedits.deadletter.DeadLetterStore;
import org.wikiedits.pipeline.AdmitEvent;

/**
 * One Firehose delivery stream of {@code wikiedits.aws.delivery=firehose-direct} as a sink: every event
 * becomes one record holding its original JSON bytes (the stream's transformation Lambda turns it into
 * a lake row or a search document on AWS), sent in PutRecordBatch batches ({@link BatchingSink}). The
 * source checkpoint therefore moves only when both streams (two instances of this class) have acknowledged.
 *
 * <p>Route steps: {@code process} (the event as {@link AdmitEvent} left it) from one consumer thread,
 * {@link #flushIfDue} from a timer. When its route shuts down, the sink sends what it holds
 * ({@link #prepareShutdown}); what Firehose does not take then is replayed after the restart.
 */
public final class FirehoseSink extends BatchingSink<FirehoseRecord> implements Processor, ShutdownPrepared {

    private static final Logger LOG = LoggerFactory.getLogger(FirehoseSink.class);

    private final String stream;

    /**
     * @param sink   the name in the commit protocol ({@code firehose-lake}, {@code firehose-index})
     * @param stream the delivery stream, for messages
     */
    public FirehoseSink(String sink, String stream, RecordBatcher<FirehoseRecord> batcher, BatchRetry<FirehoseRecord> retry,
            SinkProblem problem, CommitTracker tracker, DeadLetterStore deadLetters, LongSupplier clock) {
        super(sink, "Firehose sink " + sink, batcher, retry, problem, tracker, deadLetters, clock);
        this.stream = stream;
    }

    @Override
    protected FirehoseRecord record(String raw, String eventId, long seq) {
        return new FirehoseRecord(raw.getBytes(StandardCharsets.UTF_8), seq, eventId);
    }

    @Override
    public void process(Exchange exchange) throws InterruptedException, InvalidPayloadException {
        publish(exchange);
    }

    /**
     * Called when the route that feeds this sink shuts down, after its last exchange: sends what is
     * pending while the Firehose endpoint still works (Camel stops endpoints after routes).
     */
    @Override
    public void prepareShutdown(boolean suspendOnly, boolean forced) {
        if (suspendOnly) {
            return;
        }
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("Stopping with records Firehose stream {} has not acknowledged; they are replayed on the next start: {}",
                    stream, e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Interrupted while sending the last records to Firehose stream {}; they are replayed on the next start",
                    stream);
        }
    }

    @Override
    protected void doStop() {
        int pending = pendingRecords();
        if (pending > 0) {
            LOG.warn("Firehose sink {} stopped with {} records not sent; they are replayed from the checkpoint on the next start",
                    sinkName(), pending);
        }
        LOG.info("Firehose stream {} ({}): {} records acknowledged in {} PutRecordBatch calls, {} re-sent after partial failures",
                stream, sinkName(), delivered(), calls(), resentRecords());
    }
}
