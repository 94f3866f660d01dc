package org.wikiedits.delivery;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What one answer of a destination means for the records sent, item by item: delivered, refused for
 * what the record is (a dead letter for this sink: the other sinks still get the event), or held to be
 * sent again (a refusal for the destination's sake: throttling, a closed or overloaded index, a service
 * error). Each destination has its own rule for reading its answer into a settlement: the index's
 * {@code BulkOutcome} and its ten-minute rule, the streams' per-record error codes ({@link #ofErrorCodes}).
 *
 * @param heldReason why the first held record was held, for health and the log (null when none was)
 */
public record Settlement<R extends OutgoingRecord>(List<R> delivered, List<Refused<R>> refused, List<R> held,
                                                   String heldReason) {

    /** A record the destination will not take as it is, and the destination's reason. */
    public record Refused<R>(R record, String reason) {
    }

    public Settlement {
        delivered = List.copyOf(delivered);
        refused = List.copyOf(refused);
        held = List.copyOf(held);
    }

    /**
     * Kinesis PutRecords and Firehose PutRecordBatch: an entry with an error code is held (they refuse
     * entries for throughput or service errors, which pass: never a dead letter), the others are
     * delivered. {@code errorCodes} are in request order, one per record; the reason counts them by code.
     */
    public static <R extends OutgoingRecord> Settlement<R> ofErrorCodes(List<R> sent, List<String> errorCodes) {
        if (errorCodes.size() != sent.size()) {
            throw new IllegalArgumentException(errorCodes.size() + " error codes for " + sent.size() + " records");
        }
        List<R> delivered = new ArrayList<>();
        List<R> held = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            (errorCodes.get(i) == null ? delivered : held).add(sent.get(i));
        }
        Map<String, Integer> counts = new TreeMap<>();
        errorCodes.stream().filter(Objects::nonNull).forEach(code -> counts.merge(code, 1, Integer::sum));
        return new Settlement<>(delivered, Collections.emptyList(), held, held.isEmpty() ? null : counts.toString());
    }
}
