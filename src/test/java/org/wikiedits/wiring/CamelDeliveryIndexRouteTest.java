package org.wikiedits.wiring;

import org.wikiedits.commit.CommitTracker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.util.RawValue;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.model.BeanDefinition;
import org.junit.jupiter.api.Test;
import org.opensearch.client.opensearch._types.ErrorCause;
import org.opensearch.client.opensearch.core.bulk.BulkResponseItem;
import org.opensearch.client.opensearch.core.bulk.IndexOperation;
import org.opensearch.client.opensearch.core.bulk.OperationType;
import org.wikiedits.commit.FlushOnStop;
import org.wikiedits.commit.Headers;
import org.wikiedits.sink.index.SearchDocumentProcessor;
import org.wikiedits.transform.Fixtures;

/**
 * routes/aws/camel/index.camel.yaml: kinesis-index -> searchDocument -> indexSink.add, fed as in the
 * running app by the s3-lake route of lake.camel.yaml through the real {@code seda:kinesis-index} queue
 * (the s3-lake route's own sink step is the real LakeSink on a local folder); a mock endpoint records
 * what reaches the index sink step.
 */
class CamelDeliveryIndexRouteTest extends CamelDeliveryRouteTestSupport {

    private void startRoutes() throws Exception {
        loadCamelDeliveryRoutes();
        AdviceWith.adviceWith(context, "s3-lake", route -> route.replaceFromWith("direct:kinesis-records"));
        AdviceWith.adviceWith(context, "kinesis-index",
                route -> route.weaveByType(BeanDefinition.class).selectLast().before().to("mock:indexSink"));
        context.start();
    }

    @Test
    void aRecordReachesTheIndexSinkAsItsExpectedDocumentWithMetaIdAsId() throws Exception {
        startRoutes();
        MockEndpoint sink = getMockEndpoint("mock:indexSink");
        sink.expectedMessageCount(2);

        sendRecord("direct:kinesis-records", Fixtures.event("edit-unicode"), "1001");
        sendRecord("direct:kinesis-records", Fixtures.event("categorize"), "1002");

        sink.assertIsSatisfied();
        for (int i = 0; i < 2; i++) {
            String name = i == 0 ? "edit-unicode" : "categorize";
            Exchange received = sink.getExchanges().get(i);
            assertThat(received.getMessage().getBody(String.class)).as(name).isEqualTo(Fixtures.expectedDocument(name));
            assertThat(received.getMessage().getHeader(Headers.DOCUMENT_ID)).as(name)
                    .isEqualTo(Fixtures.recentChange(name).eventId());
            assertThat(received.getMessage().getHeader(Headers.SEQ)).as(name).isEqualTo(i + 1L);
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(indexSink.buffered()).isEqualTo(2));
        assertThat(deadLetterLines()).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void itemsRefusedBecauseTheIndexIsClosedAreHeldAndSentAgainNotDeadLettered() throws Exception {
        loadCamelDeliveryRoutes();
        AdviceWith.adviceWith(context, "s3-lake", route -> route.replaceFromWith("direct:kinesis-records"));
        AtomicInteger bulks = new AtomicInteger();
        // the Bulk endpoint answers the first two bulks as OpenSearch does while the index is closed, then takes them
        AdviceWith.adviceWith(context, "kinesis-index-bulk", route -> route.weaveByToUri("opensearch:*").replace().process(exchange -> {
            List<IndexOperation<RawValue>> operations = exchange.getMessage().getBody(List.class);
            boolean closed = bulks.incrementAndGet() <= 2;
            exchange.getMessage().setBody(operations.stream().map(operation -> {
                BulkResponseItem.Builder item = new BulkResponseItem.Builder().operationType(OperationType.Index)
                        .index("wikiedits").id(operation.id());
                return closed ? item.status(400).error(new ErrorCause.Builder().type("index_closed_exception").reason("closed").build()).build()
                        : item.status(201).result("created").build();
            }).toList());
        }));
        context.start();
        sendRecord("direct:kinesis-records", Fixtures.event("edit-basic"), "1001");
        sendRecord("direct:kinesis-records", Fixtures.event("categorize"), "1002");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(indexSink.buffered()).isEqualTo(2));

        template.sendBodyAndHeader("seda:kinesis-index", null, Headers.FLUSH, Headers.FLUSH_ALL);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(indexSink.acknowledgedSeq()).isEqualTo(2));
        assertThat(bulks.get()).isEqualTo(3);
        assertThat(deadLetterLines()).isEmpty();
    }

    @Test
    void anExceptionAtTheIndexSinkStepDeadLettersTheEventWithItsEventIdNotItsShardPosition() throws Exception {
        startRoutes();
        String raw = Fixtures.event("edit-basic");
        // the sink already holds a later seq: the sink step refuses this one
        indexSink.add("{}", "other", 5, "{}", new DefaultExchange(context));

        sendRecord("direct:kinesis-records", raw, "1001");

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(deadLetterLines()).hasSize(1));
        assertThat(deadLetterLines()).singleElement().satisfies(letter -> {
            assertThat(letter.path("event_id").asText()).isEqualTo("7a4bd0e1-3f8c-4b52-9d1e-2c6f8a0b1e01");
            assertThat(letter.path("raw").asText()).isEqualTo(raw);
            assertThat(letter.path("reason").asText())
                    .startsWith("kinesis-index: IllegalStateException: index writes must come in sequence order: seq 1 after 5");
        });
    }
}
