package org.wikiedits.commit;

import org.apache.camel.Exchange;
import org.apache.camel.component.seda.SedaEndpoint;

/**
 * Whether nothing waits behind an exchange in the {@code seda:} queue it came from (true when it did not
 * come from a queue). While Camel stops, the batchers (index, Kinesis, Firehose) send what is pending
 * when the queue is drained, not after every event: a full queue of 10,000 events would otherwise take
 * 10,000 requests, far longer than the shutdown timeout.
 */
public final class LastInQueue {

    private LastInQueue() {
    }

    public static boolean test(Exchange exchange) {
        return !(exchange.getFromEndpoint() instanceof SedaEndpoint queue) || queue.getCurrentQueueSize() == 0;
    }
}
