package org.wikiedits.sink.index;

import java.time.Duration;
import org.apache.camel.CamelContext;
import org.opensearch.client.RestClient;
import org.wikiedits.checkpoint.CommitTracker;
import org.wikiedits.deadletter.DeadLetterStore;
import org.wikiedits.opensearch.OpenSearchEndpoint;
import org.wikiedits.opensearch.OpenSearchRestClients;

/** Real {@link IndexSink}s for route tests, built as {@code WikieditsBeans.indexSink} builds them. */
public final class TestIndexSinks {

    /** Quick retries, so that tests of failures do not wait. */
    public static final Backoff QUICK = new Backoff(Duration.ofMillis(20), Duration.ofMillis(200));

    private TestIndexSinks() {
    }

    /**
     * A sink on {@code url} that batches {@code batchSize} documents or waits {@code linger}; binds its REST
     * client as {@code opensearchRestClient} in {@code context}, which the {@code opensearch:} component is autowired with.
     */
    public static IndexSink create(CamelContext context, String url, CommitTracker tracker, DeadLetterStore deadLetters,
                                   int batchSize, Duration linger) {
        OpenSearchEndpoint endpoint = OpenSearchEndpoint.of(url, "", "");
        RestClient client = OpenSearchRestClients.create(endpoint);
        context.getRegistry().bind("opensearchRestClient", RestClient.class, client);
        IndexSink sink = new IndexSink(new PendingBatch(batchSize, linger, System::nanoTime), new IndexTemplate(client, endpoint),
                tracker, deadLetters, endpoint, QUICK, () -> context.isStopping() || context.isStopped());
        sink.setCloseTimeout(Duration.ofMillis(500));
        return sink;
    }

    /** A sink whose batches are never cut by the tests (1000 documents, one hour), on a port where nothing listens. */
    public static IndexSink collecting(CamelContext context, CommitTracker tracker, DeadLetterStore deadLetters) {
        return create(context, "http://127.0.0.1:9", tracker, deadLetters, 1000, Duration.ofHours(1));
    }
}
