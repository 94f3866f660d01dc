package org.wikiedits.sink.index;

import java.time.Duration;
import org.wikiedits.checkpoint.CommitTracker;
import org.wikiedits.deadletter.DeadLetterStore;
import org.wikiedits.opensearch.OpenSearchClient;
import org.wikiedits.opensearch.OpenSearchEndpoint;

/**
 * A real {@link IndexWriter} that sends nothing (paused, and nothing listens on port 9), for tests that
 * look only at what reaches its buffer; it gives up on its buffer 100 ms into {@code close} instead of 10 s.
 */
public final class PausedIndexWriter {

    private PausedIndexWriter() {
    }

    public static IndexWriter create(CommitTracker tracker, DeadLetterStore deadLetters) {
        IndexWriter writer = new IndexWriter(new OpenSearchClient(OpenSearchEndpoint.of("http://127.0.0.1:9", "", "")),
                tracker, deadLetters, 1000, Duration.ofHours(1));
        writer.setPaused(true);
        writer.setCloseTimeout(Duration.ofMillis(100));
        return writer;
    }
}
