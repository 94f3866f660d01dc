package org.wikiedits.sink.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.checkpoint.CheckpointStore;
import org.wikiedits.checkpoint.CommitTracker;
import org.wikiedits.deadletter.DeadLetterStore;
import org.wikiedits.opensearch.OpenSearchClient;
import org.wikiedits.opensearch.OpenSearchEndpoint;
import org.wikiedits.pipeline.AdmitEvent;
import org.wikiedits.transform.RecentChange;
import org.wikiedits.transform.RecentChangeReader;

/** The YAML index route as documented for the lead binds body, sequence header and raw property to the sink. */
class IndexSinkTest {

    /** The route handed to the lead (routes/local/index.camel.yaml), with a direct: entry for the test. */
    private static final String ROUTES = """
            - route:
                id: index
                from:
                  uri: direct:index
                  steps:
                    - process:
                        ref: searchDocument
                    - bean:
                        ref: indexSink
                        method: write
            - route:
                id: index-flush
                from:
                  uri: timer:index-flush
                  parameters:
                    period: 200
                  steps:
                    - bean:
                        ref: indexSink
                        method: flushIfDue
            """;

    @TempDir
    Path work;

    @Test
    void theIndexRouteHandsEachEventWithItsSequenceNumberToTheWriter() throws Exception {
        CommitTracker tracker = new CommitTracker(new CheckpointStore(work, "test"), List.of(IndexWriter.SINK));
        // nothing listens there and the writer is paused: the test only looks at what reaches the buffer
        IndexWriter writer = new IndexWriter(new OpenSearchClient(OpenSearchEndpoint.of("http://127.0.0.1:9", "", "")),
                tracker, new DeadLetterStore(work.resolve("dead-letter")), 100, Duration.ofHours(1));
        writer.setPaused(true);
        writer.setCloseTimeout(Duration.ofMillis(100));
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.getRegistry().bind("indexSink", new IndexSink(writer));
            camel.getRegistry().bind("searchDocument", new org.wikiedits.pipeline.SearchDocumentProcessor());
            PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("index.camel.yaml", ROUTES));
            camel.start();
            ProducerTemplate producer = camel.createProducerTemplate();
            String raw = "{\"meta\":{\"id\":\"a1b2c3d4-0000-4000-8000-000000000001\",\"dt\":\"2026-08-04T15:24:29.724Z\","
                    + "\"domain\":\"en.wikipedia.org\"},\"type\":\"edit\",\"title\":\"Sandbox\",\"wiki\":\"enwiki\"}";
            RecentChange event = RecentChangeReader.read(raw);

            for (long seq = tracker.admit(event.eventId()); seq <= 3; seq = tracker.admit(event.eventId())) {
                long current = seq;
                producer.send("direct:index", exchange -> {
                    exchange.getMessage().setBody(event);
                    exchange.getMessage().setHeader(CommitTracker.SEQ_HEADER, current);
                    exchange.setProperty(AdmitEvent.RAW_PROPERTY, raw);
                });
            }

            // seq 2 and 3 carry the same meta.id: the writer keeps both (OpenSearch overwrites by _id)
            assertThat(writer.buffered()).isEqualTo(3);
            assertThat(writer.acknowledgedSeq()).isZero();
        }
    }
}
