package org.wikiedits.sink.index;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.wikiedits.checkpoint.CheckpointStore;
import org.wikiedits.checkpoint.CommitTracker;
import org.wikiedits.deadletter.DeadLetterStore;
import org.wikiedits.opensearch.OpenSearchClient;
import org.wikiedits.opensearch.OpenSearchEndpoint;
import org.wikiedits.transform.RecentChange;
import org.wikiedits.transform.SearchDocument;

/**
 * Run in a child JVM by {@link IndexWriterIT} with {@code -Dwikiedits.test.crash-at=...}: writes
 * one full batch of {@code count} events to the OpenSearch at {@code url}, keeping its checkpoint
 * in {@code work/state}. Exits 0 if no crash point halted it.
 */
public final class IndexCrashProbe {

    private IndexCrashProbe() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        Path work = Path.of(args[1]);
        int count = Integer.parseInt(args[2]);
        CommitTracker tracker = new CommitTracker(new CheckpointStore(work.resolve("state"), "crash-probe"),
                List.of(IndexWriter.SINK));
        IndexWriter writer = new IndexWriter(new OpenSearchClient(OpenSearchEndpoint.of(url, "", "")), tracker,
                new DeadLetterStore(work.resolve("dead-letter")), count, Duration.ofHours(1));
        writer.start();
        for (RecentChange rc : TestEvents.edits(count)) {
            writer.write(SearchDocument.id(rc), SearchDocument.toJson(rc), null, tracker.admit(rc.eventId()), rc.eventTime());
        }
        System.exit(0);
    }
}
