package org.wikiedits.commit;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.wikiedits.source.sse.SseConstants;
import org.wikiedits.transform.MalformedEventException;
import org.wikiedits.transform.RecentChange;
import org.wikiedits.transform.RecentChangeReader;

/**
 * The first step after the source: gives the event its place in the commit protocol, reads it,
 * drops canaries and sends unreadable events (also those not sent as valid UTF-8) to the dead-letter store. What passes on carries the
 * {@link RecentChange} as body, the sequence number as header and the original text as property.
 */
public final class AdmitEvent implements Processor {

    private final CommitTracker tracker;
    private final DeadLetterStore deadLetters;
    private final PipelineStats stats;

    public AdmitEvent(CommitTracker tracker, DeadLetterStore deadLetters, PipelineStats stats) {
        this.tracker = tracker;
        this.deadLetters = deadLetters;
        this.stats = stats;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        String raw = message.getBody(String.class);
        long seq = tracker.admit(message.getHeader(Headers.SOURCE_POSITION, String.class));
        message.setHeader(Headers.SEQ, seq);
        stats.received();
        byte[] invalidUtf8 = message.getHeader(Headers.INVALID_UTF8, byte[].class);
        if (invalidUtf8 != null) {
            // U+FFFD in place of what was sent would change the event unnoticed: kept as it came instead
            deadLetter(exchange, seq, "not valid UTF-8: the bytes as received are in raw_base64", raw, invalidUtf8);
            return;
        }
        RecentChange rc;
        try {
            rc = RecentChangeReader.read(raw);
        } catch (MalformedEventException e) {
            deadLetter(exchange, seq, e.getMessage(), raw, null);
            return;
        }
        if (rc.isCanary()) {
            stats.canary();
            tracker.skipped(seq);
            exchange.setRouteStop(true);
            return;
        }
        stats.accepted(rc.eventTime());
        exchange.setProperty(Headers.RAW, raw);
        message.setBody(rc);
    }

    private void deadLetter(Exchange exchange, long seq, String reason, String raw, byte[] rawBytes) {
        stats.malformed();
        deadLetters.write("source", reason, raw == null ? "" : raw, rawBytes, null);
        tracker.skipped(seq);
        exchange.setRouteStop(true);
    }
}
