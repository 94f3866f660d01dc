package org.wikiedits.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.junit.jupiter.api.Test;
import org.wikiedits.testing.RouteFileTestSupport;
import org.wikiedits.transform.Fixtures;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponse;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponseEntry;
import software.amazon.awssdk.services.firehose.model.Record;

/**
 * routes/aws/firehose-direct/publish.camel.yaml with the real beans of {@link FirehoseBeans}: publish ->
 * both queues (made {@code direct:} for a synchronous test) -> firehoseLake / firehoseIndex, whose batches
 * go through the Camel producer {@code aws2-kinesis-firehose:<stream>?operation=sendBatchRecord}; that
 * endpoint is mocked and skipped (camel-test's mockEndpointsAndSkip) and answers like Firehose.
 * The real service's wire format is tested against moto in FirehoseDirectIT.
 */
class FirehoseDirectPublishRouteTest extends RouteFileTestSupport {

    private static final String LAKE_MOCK = "mock:aws2-kinesis-firehose:wikiedits-lake";
    private static final String INDEX_MOCK = "mock:aws2-kinesis-firehose:wikiedits-index";

    @Override
    public void configureContext(CamelContextConfiguration configuration) {
        super.configureContext(configuration);
        configuration.withMockEndpointsAndSkip("aws2-kinesis-firehose:*");
    }

    @Override
    protected List<String> trackedSinks() {
        return FirehoseBeans.SINKS;
    }

    private void startFirehoseRoutes() throws Exception {
        setProperties("wikiedits.firehose.lake-stream", "wikiedits-lake", "wikiedits.firehose.index-stream", "wikiedits-index",
                "wikiedits.aws.region", "us-east-1",
                // never reached (the endpoint is mocked), but if it were: a closed local port, not AWS
                "wikiedits.firehose.endpoint", "http://127.0.0.1:9",
                "wikiedits.firehose.linger-ms", "1", "wikiedits.firehose.retry-base-ms", "1", "wikiedits.firehose.retry-max-ms", "1");
        FirehoseBeans.bind(context, tracker, deadLetters);
        loadSourceRoutes();
        loadRouteFile("aws/firehose-direct/publish.camel.yaml");
        AdviceWith.adviceWith(context, "publish", route -> {
            route.weaveByToUri("seda:firehose-lake").replace().to("direct:firehose-lake");
            route.weaveByToUri("seda:firehose-index").replace().to("direct:firehose-index");
        });
        AdviceWith.adviceWith(context, "firehose-lake", route -> route.replaceFromWith("direct:firehose-lake"));
        AdviceWith.adviceWith(context, "firehose-index", route -> route.replaceFromWith("direct:firehose-index"));
        AdviceWith.adviceWith(context, "firehose-lake-linger", route -> route.replaceFromWith("direct:firehose-lake-linger"));
        AdviceWith.adviceWith(context, "firehose-index-linger", route -> route.replaceFromWith("direct:firehose-index-linger"));
        for (String mock : List.of(LAKE_MOCK, INDEX_MOCK)) {
            getMockEndpoint(mock).whenAnyExchangeReceived(FirehoseDirectPublishRouteTest::acceptAll);
        }
        context.start();
    }

    /** Firehose's answer when it takes every record. */
    private static void acceptAll(Exchange exchange) {
        List<?> records = exchange.getMessage().getBody(List.class);
        exchange.getMessage().setBody(PutRecordBatchResponse.builder().failedPutCount(0)
                .requestResponses(records.stream().map(r -> PutRecordBatchResponseEntry.builder().recordId("r").build()).toList())
                .build());
    }

    private void publish(String name) {
        sendAdmitted("direct:publish", Fixtures.event(name), Fixtures.recentChange(name));
    }

    private static List<String> sentTexts(MockEndpoint mock) {
        return mock.getExchanges().stream()
                .flatMap(exchange -> ((List<?>) exchange.getMessage().getBody(List.class)).stream())
                .map(record -> ((Record) record).data().asString(StandardCharsets.UTF_8))
                .toList();
    }

    @Test
    void everyEventGoesToBothDeliveryStreamsAsItsOriginalBytesThroughTheFirehoseEndpoint() throws Exception {
        startFirehoseRoutes();
        publish("edit-basic");
        publish("log-params-string");
        Thread.sleep(5); // past the 1 ms linger

        template.sendBody("direct:firehose-lake-linger", null);
        template.sendBody("direct:firehose-index-linger", null);

        MockEndpoint lake = getMockEndpoint(LAKE_MOCK);
        MockEndpoint index = getMockEndpoint(INDEX_MOCK);
        assertThat(lake.getReceivedCounter()).as("one PutRecordBatch").isEqualTo(1);
        assertThat(index.getReceivedCounter()).as("one PutRecordBatch").isEqualTo(1);
        assertThat(sentTexts(lake)).containsExactly(Fixtures.event("edit-basic"), Fixtures.event("log-params-string"));
        assertThat(sentTexts(index)).containsExactly(Fixtures.event("edit-basic"), Fixtures.event("log-params-string"));
        assertThat(deadLetterLines()).isEmpty();
    }

    @Test
    void theCheckpointMovesOnlyOnceBothStreamsHaveAcknowledged() throws Exception {
        startFirehoseRoutes();
        publish("edit-basic");
        Thread.sleep(5);

        template.sendBody("direct:firehose-lake-linger", null);
        assertThat(getMockEndpoint(LAKE_MOCK).getReceivedCounter()).isEqualTo(1);
        assertThat(tracker.uncommitted()).as("the index stream has not acknowledged").isEqualTo(1);
        assertThat(tracker.store().lastEventId()).isEmpty();

        template.sendBody("direct:firehose-index-linger", null);
        assertThat(tracker.uncommitted()).isZero();
        assertThat(tracker.store().lastEventId()).contains(wikimediaSseId(1));
    }
}
