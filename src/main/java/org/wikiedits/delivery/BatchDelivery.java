package org.wikiedits.delivery;

import org.wikiedits.commit.CommitTracker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikiedits.commit.Headers;
import org.wikiedits.commit.SinkHealth;

/**
 * Route steps around a stream's batch call (the {@code to:} endpoint or bean step that does the I/O),
 * for one {@link Batch} at a time, in the order the batches were cut:
 * <ol>
 *   <li>{@link #begin}: the body becomes the call's request ({@link BatchCall#request}), and the
 *       property {@value Headers#UNSENT} the number of records still to send;</li>
 *   <li>{@link #answered}: reads the call's answer entry by entry and keeps only the refused records
 *       (in their order) for the next call; {@link #callFailed}: the call as a whole failed (after the
 *       SDK's own retries), so all of them are sent again;</li>
 *   <li>{@link #pause}: before the next call, the backoff in property {@value Headers#BACKOFF_MILLIS} (exponential
 *       with jitter), or, while Camel stops and after a few calls, gives the batch up;</li>
 *   <li>{@link #acknowledge}: once every record is accepted, the commit tracker hears that this sink
 *       has the batch's events ({@link Batch#seqs}).</li>
 * </ol>
 * Refused entries are never dead letters: Firehose and Kinesis refuse entries for throughput or
 * service errors, which pass. Meanwhile the stream's consumer waits, so nothing after the batch is
 * acknowledged (the checkpoint cannot pass it) and its queue fills up (back-pressure); {@code /health}
 * reports the problem. A batch given up stops the sink for this run: no later batch may be acknowledged.
 */
public final class BatchDelivery<R extends OutgoingRecord> extends ServiceSupport implements SinkHealth {

    private static final Logger LOG = LoggerFactory.getLogger(BatchDelivery.class);

    /** The batch was given up (the app is stopping); not all its records were acknowledged. */
    public static final class GaveUpException extends RuntimeException {
        GaveUpException(String message) {
            super(message);
        }
    }

    /** One batch on its way: what is still to send, and how many calls it took. */
    private static final class Sending<R extends OutgoingRecord> {
        final Batch<R> batch;
        List<R> remaining;
        int calls;

        Sending(Batch<R> batch) {
            this.batch = batch;
            this.remaining = batch.records();
        }
    }

    private final String sink;
    private final String stream;
    private final BatchCall<R> call;
    private final Backoff backoff;
    private final IntPredicate giveUpBeforeCall;
    private final SinkProblem problem;
    private final CommitTracker tracker;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong resent = new AtomicLong();
    private volatile String abandoned;

    /**
     * @param sink             the name in the commit protocol
     * @param stream           the stream the calls go to, for messages
     * @param giveUpBeforeCall asked before every further call of a batch (2, 3, ...): true gives the batch up
     */
    public BatchDelivery(String sink, String stream, BatchCall<R> call, Backoff backoff, IntPredicate giveUpBeforeCall,
            SinkProblem problem, CommitTracker tracker) {
        this.sink = sink;
        this.stream = stream;
        this.call = call;
        this.backoff = backoff;
        this.giveUpBeforeCall = giveUpBeforeCall;
        this.problem = problem;
        this.tracker = tracker;
    }

    /** Body: a {@link Batch}. */
    @SuppressWarnings("unchecked")
    public void begin(Exchange exchange) throws InvalidPayloadException {
        if (abandoned != null) {
            throw new IllegalStateException(sink + " has stopped sending: " + abandoned);
        }
        Sending<R> sending = new Sending<>(exchange.getMessage().getMandatoryBody(Batch.class));
        exchange.setProperty(Headers.SENDING, sending);
        next(exchange, sending);
    }

    /** Body: the call's answer. */
    public void answered(Exchange exchange) {
        Sending<R> sending = sending(exchange);
        List<String> errorCodes = call.errorCodes(exchange.getMessage().getBody(), sending.remaining.size());
        if (errorCodes.size() != sending.remaining.size()) {
            // thrown before counting: the route's catch treats it as a failed call, which counts it
            throw new IllegalStateException(call.limits().call() + " to " + stream + " answered " + errorCodes.size()
                    + " entries for " + sending.remaining.size() + " records");
        }
        count(sending);
        List<R> refused = new ArrayList<>();
        for (int i = 0; i < errorCodes.size(); i++) {
            if (errorCodes.get(i) != null) {
                refused.add(sending.remaining.get(i));
            }
        }
        if (!refused.isEmpty()) {
            String what = refused.size() + " of " + sending.remaining.size() + " records refused by " + call.limits().service()
                    + " stream " + stream + " " + counts(errorCodes);
            LOG.warn("{}; re-sending only those (call {})", what, sending.calls + 1);
            problem.accept(what);
        }
        sending.remaining = refused;
        next(exchange, sending);
    }

    /** The call failed as a whole (property {@link Exchange#EXCEPTION_CAUGHT}): every record of it is sent again. */
    public void callFailed(Exchange exchange) {
        Sending<R> sending = sending(exchange);
        count(sending);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String what = call.limits().call() + " to " + stream + " failed: " + (cause == null ? "unknown error" : cause.getMessage());
        LOG.warn("{}; retrying {} records (call {})", what, sending.remaining.size(), sending.calls + 1);
        problem.accept(what);
        next(exchange, sending);
    }

    /** Before the next call of this batch: sets the backoff, or gives the batch up. */
    public void pause(Exchange exchange) {
        Sending<R> sending = sending(exchange);
        if (sending.remaining.isEmpty()) {
            exchange.setProperty(Headers.BACKOFF_MILLIS, 0L);
            return;
        }
        int nextCall = sending.calls + 1;
        if (giveUpBeforeCall.test(nextCall)) {
            abandoned = sending.remaining.size() + " of " + sending.batch.records().size() + " records not acknowledged by "
                    + call.limits().service() + " stream " + stream + " after " + sending.calls + " calls";
            problem.accept(abandoned);
            throw new GaveUpException(abandoned);
        }
        resent.addAndGet(sending.remaining.size());
        exchange.setProperty(Headers.BACKOFF_MILLIS, backoff.millisBefore(sending.calls));
    }

    /** Every record of the batch is accepted: the commit tracker learns it. */
    public void acknowledge(Exchange exchange) {
        Sending<R> sending = sending(exchange);
        if (!sending.remaining.isEmpty()) {
            throw new IllegalStateException("a batch with " + sending.remaining.size() + " unacknowledged records cannot be acknowledged");
        }
        delivered.addAndGet(sending.batch.records().size());
        if (sending.calls > 0) {
            problem.accept(null);
        }
        tracker.handled(sink, sending.batch.seqs());
    }

    private void next(Exchange exchange, Sending<R> sending) {
        exchange.setProperty(Headers.UNSENT, sending.remaining.size());
        exchange.getMessage().setBody(sending.remaining.isEmpty() ? null : call.request(sending.remaining));
    }

    private void count(Sending<R> sending) {
        sending.calls++;
        calls.incrementAndGet();
    }

    @SuppressWarnings("unchecked")
    private Sending<R> sending(Exchange exchange) {
        Sending<R> sending = exchange.getProperty(Headers.SENDING, Sending.class);
        if (sending == null) {
            throw new IllegalStateException("no batch on its way: the route must call " + sink + "'s begin step first");
        }
        return sending;
    }

    private static Map<String, Integer> counts(List<String> errorCodes) {
        Map<String, Integer> counts = new TreeMap<>();
        errorCodes.stream().filter(Objects::nonNull).forEach(code -> counts.merge(code, 1, Integer::sum));
        return counts;
    }

    @Override
    public String sinkName() {
        return sink;
    }

    @Override
    public long delivered() {
        return delivered.get();
    }

    @Override
    public Optional<String> problem() {
        return problem.current();
    }

    /** Batch calls made, and records sent again after a refusal or a failed call. */
    public long calls() {
        return calls.get();
    }

    public long resentRecords() {
        return resent.get();
    }

    @Override
    protected void doStop() {
        LOG.info("{} stream {} ({}): {} records acknowledged in {} {} calls, {} re-sent after partial failures",
                call.limits().service(), stream, sink, delivered(), calls(), call.limits().call(), resentRecords());
    }
}
