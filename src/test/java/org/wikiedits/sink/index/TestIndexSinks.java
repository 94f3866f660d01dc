package org.wikiedits.sink.index;

import java.time.Clock;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.opensearch.client.RestClient;
import org.wikiedits.commit.CommitTracker;
import org.wikiedits.commit.DeadLetterStore;
import org.wikiedits.delivery.Backoff;

/** Real {@link IndexSink}s for route tests, built as {@code WikieditsBeans.indexSink} builds them. */
public final class TestIndexSinks {

    /** Quick retries, so that tests of failures do not wait. */
    public static final Backoff QUICK = new Backoff(20, 200);

    private TestIndexSinks() {
    }

    /**
     * A sink on {@code url} that batches {@code batchSize} documents or waits {@code linger}; binds its REST
     * client as {@code opensearchRestClient} in {@code context}, which the {@code opensearch:} component is autowired with.
     */
    public static IndexSink create(CamelContext context, String url, CommitTracker tracker, DeadLetterStore deadLetters,
                                   int batchSize, Duration linger) {
        return create(context, url, tracker, deadLetters, batchSize, linger, false, Clock.systemUTC());
    }

    /**
     * A sink for route tests that replace the {@code opensearch:} endpoint with a stand-in: nothing listens
     * on its URL, so the index template counts as installed (the start still tries once, and warns).
     */
    public static IndexSink standIn(CamelContext context, CommitTracker tracker, DeadLetterStore deadLetters,
                                    int batchSize, Duration linger) {
        return standIn(context, tracker, deadLetters, batchSize, linger, Clock.systemUTC());
    }

    /** A stand-in sink whose ten-minute rule for unclassified refusals reads {@code clock}. */
    public static IndexSink standIn(CamelContext context, CommitTracker tracker, DeadLetterStore deadLetters,
                                    int batchSize, Duration linger, Clock clock) {
        return create(context, "http://127.0.0.1:9", tracker, deadLetters, batchSize, linger, true, clock);
    }

    private static IndexSink create(CamelContext context, String url, CommitTracker tracker, DeadLetterStore deadLetters,
                                    int batchSize, Duration linger, boolean standIn, Clock clock) {
        OpenSearchEndpoint endpoint = OpenSearchEndpoint.of(url, "", "");
        RestClient client = OpenSearchRestClients.shared(endpoint, context);
        context.getRegistry().bind("opensearchRestClient", RestClient.class, client);
        IndexTemplate template = new IndexTemplate(client, endpoint);
        if (standIn) {
            template.assumeInstalled();
        }
        IndexSink sink = new IndexSink(batchSize, linger, template, tracker, deadLetters, endpoint, QUICK,
                () -> context.isStopping() || context.isStopped(), clock);
        sink.setCloseTimeout(Duration.ofMillis(500));
        return sink;
    }

    /** A stand-in sink whose batches are never cut by the tests (1000 documents, one hour). */
    public static IndexSink collecting(CamelContext context, CommitTracker tracker, DeadLetterStore deadLetters) {
        return standIn(context, tracker, deadLetters, 1000, Duration.ofHours(1));
    }
}
