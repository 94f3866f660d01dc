package org.wikiedits.delivery;

import org.wikiedits.commit.CommitTracker;
import java.util.List;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikiedits.commit.Headers;
import org.wikiedits.commit.SinkHealth;

/**
 * The streams' destination adapter over the one {@link Delivery} core: the route steps around a stream's batch
 * call (the {@code to:} endpoint or bean step that does the I/O), for one {@link Batch} at a time, in the order
 * the batches were cut:
 * <ol>
 *   <li>{@link #begin}: the body becomes the call's request ({@link BatchCall#request}), and the
 *       property {@value Headers#UNSENT} the number of records still to send;</li>
 *   <li>{@link #answered}: reads the call's answer entry by entry ({@link Settlement#ofErrorCodes}) and keeps
 *       only the refused records (in their order) for the next call; {@link #callFailed}: the call as a whole
 *       failed (after the SDK's own retries), so all of them are sent again;</li>
 *   <li>{@link #pause}: before the next call, the backoff in property {@value Headers#BACKOFF_MILLIS}, or, while Camel
 *       stops and after a few calls, gives the batch up ({@link GiveUpOnStop#afterCalls});</li>
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

    private final String stream;
    private final BatchCall<R> call;
    private final SinkProblem problem;
    private final Delivery<R> delivery;
    private volatile String abandoned;

    /**
     * @param sink   the name in the commit protocol
     * @param stream the stream the calls go to, for messages
     * @param giveUp when a batch is given up rather than sent again (only while Camel stops)
     */
    public BatchDelivery(String sink, String stream, BatchCall<R> call, Backoff backoff, GiveUpOnStop giveUp,
            SinkProblem problem, CommitTracker tracker) {
        this.stream = stream;
        this.call = call;
        this.problem = problem;
        // the streams never refuse a record for what it is (Settlement.ofErrorCodes holds every refused entry)
        this.delivery = new Delivery<>(sink, backoff, giveUp, (record, reason) -> false, tracker);
    }

    /** Body: a {@link Batch}. */
    @SuppressWarnings("unchecked")
    public void begin(Exchange exchange) throws InvalidPayloadException {
        if (abandoned != null) {
            throw new IllegalStateException(delivery.sink() + " has stopped sending: " + abandoned);
        }
        Batch<R> batch = delivery.handOut(exchange.getMessage().getMandatoryBody(Batch.class),
                failed -> LOG.warn("{}: {} was not acknowledged; sending its records again with the next batch",
                        delivery.sink(), failed));
        exchange.setProperty(Headers.SENDING, batch);
        next(exchange, batch);
    }

    /** Body: the call's answer. */
    public void answered(Exchange exchange) {
        Batch<R> batch = sending(exchange);
        List<R> sent = batch.unsent();
        List<String> errorCodes = call.errorCodes(exchange.getMessage().getBody(), sent.size());
        if (errorCodes.size() != sent.size()) {
            // thrown before counting: the route's catch treats it as a failed call, which counts it
            throw new IllegalStateException(call.limits().call() + " to " + stream + " answered " + errorCodes.size()
                    + " entries for " + sent.size() + " records");
        }
        Settlement<R> settlement = Settlement.ofErrorCodes(sent, errorCodes);
        delivery.settle(batch, settlement);
        if (!settlement.held().isEmpty()) {
            String what = settlement.held().size() + " of " + sent.size() + " records refused by " + call.limits().service()
                    + " stream " + stream + " " + settlement.heldReason();
            LOG.warn("{}; re-sending only those (call {})", what, batch.calls() + 1);
            problem.accept(what);
        }
        next(exchange, batch);
    }

    /** The call failed as a whole (property {@link Exchange#EXCEPTION_CAUGHT}): every record of it is sent again. */
    public void callFailed(Exchange exchange) {
        Batch<R> batch = sending(exchange);
        delivery.failed(batch);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String what = call.limits().call() + " to " + stream + " failed: " + (cause == null ? "unknown error" : cause.getMessage());
        LOG.warn("{}; retrying {} records (call {})", what, batch.unsent().size(), batch.calls() + 1);
        problem.accept(what);
        next(exchange, batch);
    }

    /** Before the next call of this batch: sets the backoff, or gives the batch up. */
    public void pause(Exchange exchange) {
        Batch<R> batch = sending(exchange);
        if (delivery.givingUp(batch)) {
            abandoned = batch.unsent().size() + " of " + batch.records().size() + " records not acknowledged by "
                    + call.limits().service() + " stream " + stream + " after " + batch.calls() + " calls";
            problem.accept(abandoned);
            throw new GaveUpException(abandoned);
        }
        exchange.setProperty(Headers.BACKOFF_MILLIS, delivery.backoffMillis(batch));
    }

    /** Every record of the batch is accepted: the commit tracker learns it. */
    public void acknowledge(Exchange exchange) {
        Batch<R> batch = sending(exchange);
        delivery.acknowledge(batch);
        if (batch.calls() > 0) {
            problem.accept(null);
        }
    }

    private void next(Exchange exchange, Batch<R> batch) {
        exchange.setProperty(Headers.UNSENT, batch.unsent().size());
        exchange.getMessage().setBody(batch.settled() ? null : call.request(batch.unsent()));
    }

    @SuppressWarnings("unchecked")
    private Batch<R> sending(Exchange exchange) {
        Batch<R> batch = exchange.getProperty(Headers.SENDING, Batch.class);
        if (batch == null) {
            throw new IllegalStateException("no batch on its way: the route must call " + delivery.sink() + "'s begin step first");
        }
        return batch;
    }

    @Override
    public String sinkName() {
        return delivery.sink();
    }

    @Override
    public long delivered() {
        return delivery.delivered();
    }

    @Override
    public Optional<String> problem() {
        return problem.current();
    }

    /** Batch calls made, and records sent again after a refusal. */
    public long calls() {
        return delivery.requests();
    }

    public long resentRecords() {
        return delivery.resent();
    }

    @Override
    protected void doStop() {
        LOG.info("{} stream {} ({}): {} records acknowledged in {} {} calls, {} re-sent after partial failures",
                call.limits().service(), stream, delivery.sink(), delivered(), calls(), call.limits().call(), resentRecords());
    }
}
