package org.wikiedits.sink.index;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Test;
import org.wikiedits.checkpoint.CommitTracker;
import org.wikiedits.pipeline.SearchDocumentProcessor;
import org.wikiedits.sink.index.IndexSink;
import org.wikiedits.sink.index.IndexWriter;
import org.wikiedits.testing.RouteFileTestSupport;
import org.wikiedits.transform.Fixtures;
import org.wikiedits.transform.RecentChange;

/**
 * routes/local/index/index.camel.yaml: event -> searchDocument -> indexSink.write, with the real
 * processor and the real index sink, whose writer is paused (nothing is sent; the writer's bulk
 * requests are tested in IndexWriterTest and IndexWriterIT). {@code seda:index} becomes
 * {@code direct:index} and a mock endpoint records what reaches the sink step.
 */
class IndexRouteTest extends RouteFileTestSupport {

    private IndexWriter writer;

    @Override
    protected List<String> trackedSinks() {
        return List.of(IndexWriter.SINK);
    }

    @Override
    protected void bindToRegistry(Registry registry) throws Exception {
        super.bindToRegistry(registry);
        writer = PausedIndexWriter.create(tracker, deadLetters);
        registry.bind("indexSink", new IndexSink(writer));
    }

    private void startIndexRoutes() throws Exception {
        loadSourceRoutes();
        loadRouteFile("local/index/index.camel.yaml");
        AdviceWith.adviceWith(context, "index", route -> {
            route.replaceFromWith("direct:index");
            route.weaveByType(BeanDefinition.class).before().to("mock:indexSink");
        });
        AdviceWith.adviceWith(context, "index-flush", route -> route.replaceFromWith("direct:index-flush"));
        context.start();
    }

    @Test
    void everyFixtureReachesTheIndexSinkAsItsExpectedDocumentWithMetaIdAsId() throws Exception {
        startIndexRoutes();
        List<String> names = Fixtures.eventNames();
        MockEndpoint sink = getMockEndpoint("mock:indexSink");
        sink.expectedMessageCount(names.size());
        List<Long> seqs = new ArrayList<>();

        for (String name : names) {
            seqs.add(sendAdmitted("direct:index", Fixtures.event(name), Fixtures.recentChange(name)));
        }

        sink.assertIsSatisfied();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            Exchange received = sink.getExchanges().get(i);
            assertThat(received.getMessage().getBody(String.class)).as(name).isEqualTo(Fixtures.expectedDocument(name));
            assertThat(received.getMessage().getHeader(SearchDocumentProcessor.DOCUMENT_ID_HEADER)).as(name)
                    .isEqualTo(metaIdOf(Fixtures.expectedDocument(name)));
            // the header keeps meta.dt's full precision (for the latency); the document has milliseconds
            assertThat(received.getMessage().getHeader(SearchDocumentProcessor.EVENT_TIME_HEADER, Instant.class)
                    .truncatedTo(ChronoUnit.MILLIS)).as(name).isEqualTo(Instant.parse(timestampOf(Fixtures.expectedDocument(name))));
            assertThat(received.getMessage().getHeader(CommitTracker.SEQ_HEADER)).as(name).isEqualTo(seqs.get(i));
        }
        assertThat(writer.buffered()).isEqualTo(names.size());
        assertThat(deadLetterLines()).isEmpty();
    }

    @Test
    void theIndexSinkTakesARepeatedMetaIdAgainUnderItsNewSequenceNumber() throws Exception {
        startIndexRoutes();
        String raw = Fixtures.event("edit-basic");
        RecentChange event = Fixtures.recentChange("edit-basic");

        sendAdmitted("direct:index", raw, event);
        sendAdmitted("direct:index", raw, event);
        sendAdmitted("direct:index", raw, event);

        // both kept: OpenSearch overwrites by _id; nothing acknowledged while the writer is paused
        assertThat(writer.buffered()).isEqualTo(3);
        assertThat(writer.acknowledgedSeq()).isZero();
        assertThat(deadLetterLines()).isEmpty();
    }

    @Test
    void anExceptionAtTheSinkStepDeadLettersTheEventWithItsEventIdAndRawText() throws Exception {
        startIndexRoutes();
        String firstRaw = Fixtures.event("edit-basic");
        String laterRaw = Fixtures.event("new-page");
        RecentChange later = Fixtures.recentChange("new-page");
        long laterSeq = tracker.admit(later.eventId());
        long firstSeq = tracker.admit(Fixtures.recentChange("edit-basic").eventId());

        // out of sequence order: the real writer refuses seq 1 after seq 2, at the sink step
        sendAdmitted("direct:index", firstRaw, Fixtures.recentChange("edit-basic"), firstSeq);
        sendAdmitted("direct:index", laterRaw, later, laterSeq);

        assertThat(getMockEndpoint("mock:indexSink").getReceivedCounter()).isEqualTo(2);
        assertThat(deadLetterLines()).singleElement().satisfies(letter -> {
            assertThat(letter.path("event_id").asText()).isEqualTo(later.eventId());
            assertThat(letter.path("raw").asText()).isEqualTo(laterRaw);
            assertThat(letter.path("stage").asText()).isEqualTo("index");
            assertThat(letter.path("reason").asText())
                    .startsWith("index: IllegalStateException: index writes must come in sequence order: seq 1 after 2");
        });
        assertThat(writer.buffered()).isEqualTo(1);
    }

    @Test
    void theFlushStepSendsNothingBeforeTheLingerTimeHasPassed() throws Exception {
        startIndexRoutes();
        sendAdmitted("direct:index", Fixtures.event("edit-basic"), Fixtures.recentChange("edit-basic"));

        template.sendBody("direct:index-flush", null);

        assertThat(writer.buffered()).isEqualTo(1);
        assertThat(writer.bulkRequests()).isZero();
    }

    private static String metaIdOf(String document) {
        return field(document, "event_id");
    }

    private static String timestampOf(String document) {
        return field(document, "@timestamp");
    }

    private static String field(String document, String name) {
        try {
            return new ObjectMapper().readTree(document).path(name).asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
