package org.wikiedits.commit;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikiedits.transform.RecentChange;

/**
 * The error handler of the pipeline's routes (their {@code onException} for any exception a route
 * does not retry): an event whose exchange failed is stored as a dead letter with its original
 * text and the reason, and then counts as handled: by the sink that failed, named by the
 * {@value Headers#SINK} header its route sets, or by every sink when the event failed
 * before the fan-out (no such header). A sink's dead letter never settles the event for another sink,
 * which still has to make it durable before the checkpoint may pass it.
 *
 * <p>If even the dead letter cannot be written, or the step threw an {@link Error}
 * ({@link ErrorsAsFailures.RouteError}: a fault of the app, not of the event, so no dead letter), the
 * commit tracker is halted before the event and the source route is stopped: the pipeline is DOWN, and
 * a restart replays the event. While Camel stops, a failed event is not dead-lettered but left for the
 * restart in the same way (an interrupted hand-over is no fault of the event).
 */
public final class FailedEvent implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(FailedEvent.class);

    private final CommitTracker tracker;
    private final DeadLetterStore deadLetters;
    private final String sourceRouteId;

    /** @param sourceRouteId the route that admits events into {@code tracker}, stopped when the tracker halts */
    public FailedEvent(CommitTracker tracker, DeadLetterStore deadLetters, String sourceRouteId) {
        this.tracker = tracker;
        this.deadLetters = deadLetters;
        this.sourceRouteId = sourceRouteId;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String stage = exchange.getFromRouteId() == null ? "pipeline" : exchange.getFromRouteId();
        String reason = stage + ": " + (cause == null ? "failed" : cause.getClass().getSimpleName() + ": " + cause.getMessage());
        Long admitted = message.getHeader(Headers.SEQ, Long.class);
        // not admitted yet (the source's first step failed): nothing after it may pass either
        long seq = admitted != null ? admitted : tracker.lastAdmitted() + 1;
        CamelContext context = exchange.getContext();
        if (context.isStopping() || context.isStopped()) {
            tracker.halt(seq, "stopped while handling an event; it is replayed after the restart");
            LOG.debug("Event #{} not finished before the stop ({}); it is replayed after the restart", seq, reason);
            return;
        }
        if (cause instanceof ErrorsAsFailures.RouteError) {
            halt(context, seq, "event #" + seq + " failed (" + reason + "), an Error in the app, not a fault of the event: it is not"
                    + " dead-lettered, the checkpoint stays before it and the source stops; fix the cause and restart");
            return;
        }
        String sink = message.getHeader(Headers.SINK, String.class);
        if (sink != null && !tracker.tracks(sink)) {
            halt(context, seq, "event #" + seq + " failed (" + reason + ") in a route whose " + Headers.SINK + " header names '"
                    + sink + "', a sink the checkpoint does not wait for: the source stops; correct the route file and restart");
            return;
        }
        try {
            deadLetters.write(stage, reason, raw(exchange), eventId(message));
        } catch (RuntimeException e) {
            halt(context, seq, "event #" + seq + " failed (" + reason + ") and cannot be stored as a dead letter ("
                    + e.getMessage() + "): the checkpoint stays before it and the source stops; fix the dead-letter store and restart");
            return;
        }
        if (admitted == null) {
            return;
        }
        if (sink == null) {
            tracker.skipped(admitted);
        } else {
            tracker.skipped(sink, admitted);
        }
    }

    /** The checkpoint never passes {@code seq} in this process; the source stops; health is DOWN with {@code why}. */
    private void halt(CamelContext context, long seq, String why) {
        tracker.halt(seq, why);
        LOG.error("Pipeline stopped: {}", why);
        stopSource(context);
    }

    /** The event's {@code meta.id}: the body while it is an event, else the header the transformation step set. */
    private static String eventId(Message message) {
        if (message.getBody() instanceof RecentChange rc) {
            return rc.eventId();
        }
        return message.getHeader(Headers.EVENT_ID,
                message.getHeader(Headers.DOCUMENT_ID, String.class), String.class);
    }

    /** The original text: kept by {@link AdmitEvent} as a property, or still the body before it ran. */
    private static String raw(Exchange exchange) {
        String raw = exchange.getProperty(Headers.RAW, String.class);
        if (raw == null && exchange.getMessage().getBody() instanceof String body) {
            raw = body;
        }
        return raw == null ? "" : raw;
    }

    /** From another thread: a route cannot wait for its own in-flight exchange to finish. */
    private void stopSource(CamelContext context) {
        Thread stopper = new Thread(() -> {
            try {
                context.getRouteController().stopRoute(sourceRouteId);
            } catch (Exception e) {
                LOG.warn("Could not stop route {}: {}", sourceRouteId, e.getMessage());
            }
        }, "wikiedits-stop-" + sourceRouteId);
        stopper.setDaemon(true);
        stopper.start();
    }
}
