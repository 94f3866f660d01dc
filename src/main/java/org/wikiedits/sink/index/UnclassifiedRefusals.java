package org.wikiedits.sink.index;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.wikiedits.sink.index.BulkOutcome.Rejected;
import org.wikiedits.sink.index.BulkOutcome.Unclassified;

/**
 * The ten-minute rule for refusals of a type not classified here ({@link RefusalKind#UNCLASSIFIED}). Such a
 * refusal holds the document like an index-wide one. But a document singled out by it (other documents of
 * the same bulk were acknowledged) and refused with the same type in every answer since, for
 * {@link #GIVE_UP_AFTER}, is dead-lettered with the reason {@code unclassified: <type>: <OpenSearch's reason>},
 * so one poison document cannot stall the index for ever. A whole bulk refused with such a type was never
 * singled out: it holds as long as the refusal lasts. Another type, a known one or an acknowledgement ends
 * the document's clock. Called from the index route's one consumer thread, one answer at a time.
 */
final class UnclassifiedRefusals {

    /** How long a singled-out document may be refused with the same unclassified type before it is dead-lettered. */
    static final Duration GIVE_UP_AFTER = Duration.ofMinutes(10);

    private record Since(String type, Instant at) {
    }

    private final Clock clock;
    /** The held documents whose clock runs: singled out with this type, at that time. */
    private final Map<IndexDocument, Since> singledOut = new HashMap<>();

    UnclassifiedRefusals(Clock clock) {
        this.clock = clock;
    }

    /** Takes a bulk answer; returns the held documents whose time is up, to be dead-lettered instead of sent again. */
    synchronized List<Rejected> giveUp(BulkOutcome outcome) {
        Instant now = clock.instant();
        boolean othersTaken = !outcome.acknowledged().isEmpty();
        Map<IndexDocument, Since> stillRunning = new HashMap<>();
        List<Rejected> expired = new ArrayList<>();
        for (Unclassified refusal : outcome.unclassified()) {
            Since since = singledOut.get(refusal.document());
            if (since == null || !since.type().equals(refusal.type())) {
                since = othersTaken ? new Since(refusal.type(), now) : null;
            }
            if (since == null) {
                continue; // refused with the rest of its bulk: about the index as far as anyone can tell
            }
            if (Duration.between(since.at(), now).compareTo(GIVE_UP_AFTER) >= 0) {
                expired.add(new Rejected(refusal.document(), "unclassified: " + refusal.reason()));
            } else {
                stillRunning.put(refusal.document(), since);
            }
        }
        // every held document is in each answer until it is settled: one missing now was taken, dead-lettered or held otherwise
        singledOut.clear();
        singledOut.putAll(stillRunning);
        return expired;
    }

    /** Documents whose clock runs (for the log and tests). */
    synchronized int running() {
        return singledOut.size();
    }
}
