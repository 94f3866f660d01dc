package org.wikiedits.delivery;

import java.util.List;
import java.util.LinkedHashSet;
import org.apache.camel.CamelContext;
import org.wikiedits.commit.CommitTracker;
import org.wikiedits.commit.DeadLetterStore;

/**
 * Binds the two beans of one stream's publish route, the same for Kinesis and for each Firehose
 * delivery stream: {@code <sink>Batches} ({@link EventBatches}) and {@code <sink>Delivery}
 * ({@link BatchDelivery}), both services of the context.
 */
public final class BatchedStream {

    /** Calls after which a batch is given up, but only while Camel stops (else it is retried until it goes through). */
    private static final int CALLS_BEFORE_GIVING_UP_ON_STOP = 3;

    private BatchedStream() {
    }

    /**
     * @param sink   the stream's name in the commit protocol ({@code kinesis}, {@code firehose-lake}, ...)
     * @param stream the Kinesis or Firehose stream, for messages
     * @return the delivery bean, which reports the stream's health
     */
    public static <R extends OutgoingRecord> BatchDelivery<R> bind(CamelContext context, String beanPrefix, String sink, String stream,
            BatchCall<R> call, RecordBatcher<R> batcher, EventBatches.Records<R> records, Backoff backoff, CommitTracker tracker,
            DeadLetterStore deadLetters) {
        EventBatches<R> batches = new EventBatches<>(sink, batcher, records, deadLetters, System::currentTimeMillis,
                () -> stopping(context));
        BatchDelivery<R> delivery = new BatchDelivery<>(sink, stream, call, backoff,
                GiveUpOnStop.afterCalls(() -> stopping(context), CALLS_BEFORE_GIVING_UP_ON_STOP), new SinkProblem(), tracker);
        // the template batched-stream refers to <sink>Batches and <sink>Delivery; beanPrefix is the earlier
        // name (firehoseLake...), still bound for route files copied from an earlier version
        for (String prefix : new LinkedHashSet<>(List.of(sink, beanPrefix))) {
            context.getRegistry().bind(prefix + "Batches", batches);
            context.getRegistry().bind(prefix + "Delivery", delivery);
        }
        CamelServices.register(context, batches);
        CamelServices.register(context, delivery);
        return delivery;
    }

    private static boolean stopping(CamelContext context) {
        return context.isStopping() || context.isStopped();
    }
}
