package org.wikiedits.query.athena;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.aws2.athena.Athena2Component;
import org.apache.camel.component.aws2.athena.Athena2Configuration;
import org.apache.camel.component.aws2.athena.Athena2Constants;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.junit.jupiter.api.Test;
import org.wikiedits.query.NamedQueries;
import org.wikiedits.testing.RouteFileTestSupport;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.AthenaError;
import software.amazon.awssdk.services.athena.model.GetQueryExecutionResponse;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.QueryExecutionStatus;
import software.amazon.awssdk.services.athena.model.StartQueryExecutionRequest;
import software.amazon.awssdk.services.athena.model.StartQueryExecutionResponse;

/**
 * routes/athena/query.camel.yaml with the real athenaQuery steps: StartQueryExecution through the
 * component's client (a recording stand-in here), then the aws2-athena producer's getQueryExecution and
 * getQueryResults calls, which are mocked and skipped (camel-test's mockEndpointsAndSkip) and answer as the
 * producer does, including its NextToken header. AthenaRoutesIT runs the same route against a recorded
 * Athena wire protocol.
 */
class AthenaQueryRouteTest extends RouteFileTestSupport {

    private static final String ATHENA_MOCK = "mock:aws2-athena:wikiedits";

    private final List<StartQueryExecutionRequest> started = new ArrayList<>();

    @Override
    public void configureContext(CamelContextConfiguration configuration) {
        super.configureContext(configuration);
        configuration.withMockEndpointsAndSkip("aws2-athena:*");
    }

    private void startQueryRoute() throws Exception {
        setProperties("wikiedits.athena.poll-ms", "1", "wikiedits.athena.page-size", "2");
        Athena2Configuration athena = context.getComponent("aws2-athena", Athena2Component.class).getConfiguration();
        athena.setAmazonAthenaClient(new StartOnlyAthenaClient());
        athena.setWorkGroup("wikiedits");
        athena.setDatabase("lakedb");
        athena.setOutputLocation("s3://results/athena/");
        AthenaQuerySteps steps = new AthenaQuerySteps(context, Duration.ofSeconds(30), System::nanoTime);
        context.addService(steps, true, true);
        context.getRegistry().bind(AthenaQueryBeans.STEPS, steps);
        loadRouteFile("athena/query.camel.yaml");
        context.start();
    }

    @Test
    void aNamedQueryIsStartedWithItsParametersPolledUntilSucceededAndReadPageByPage() throws Exception {
        startQueryRoute();
        MockEndpoint athena = getMockEndpoint(ATHENA_MOCK);
        athena.whenExchangeReceived(1, reply(status(QueryExecutionState.RUNNING)));
        athena.whenExchangeReceived(2, reply(status(QueryExecutionState.SUCCEEDED)));
        athena.whenExchangeReceived(3, replyPage(AthenaQueryRunTest.page("t-2", "records", "records", "4")));
        athena.whenExchangeReceived(4, replyPage(AthenaQueryRunTest.page(null, "records", "5")));
        NamedQueries.BoundQuery query = NamedQueries.TOTAL.bind(Optional.of(LocalDate.of(2026, 8, 4)), 10);

        NamedQueries.Result result = template.requestBody("direct:athena-query", query, NamedQueries.Result.class);

        assertThat(started).singleElement().satisfies(request -> {
            assertThat(request.queryString()).isEqualTo(query.sql());
            assertThat(request.executionParameters()).containsExactly("'2026-08-04'", "'2026-08-04'");
            assertThat(request.workGroup()).isEqualTo("wikiedits");
            assertThat(request.queryExecutionContext().database()).isEqualTo("lakedb");
            assertThat(request.resultConfiguration().outputLocation()).isEqualTo("s3://results/athena/");
        });
        assertThat(athena.getExchanges()).extracting(AthenaQueryRouteTest::calledUri).containsExactly(
                "aws2-athena://wikiedits?operation=getQueryExecution",
                "aws2-athena://wikiedits?operation=getQueryExecution",
                "aws2-athena://wikiedits?maxResults=2&operation=getQueryResults&outputType=SelectList",
                "aws2-athena://wikiedits?maxResults=2&operation=getQueryResults&outputType=SelectList");
        assertThat(athena.getExchanges()).extracting(e -> e.getMessage().getHeader(Athena2Constants.QUERY_EXECUTION_ID))
                .containsOnly("q-42");
        assertThat(athena.getExchanges().get(2).getMessage().getHeader(Athena2Constants.NEXT_TOKEN)).isNull();
        assertThat(athena.getExchanges().get(3).getMessage().getHeader(Athena2Constants.NEXT_TOKEN)).isEqualTo("t-2");
        assertThat(result.columns()).containsExactly("records");
        assertThat(result.rows()).containsExactly(List.of(4L), List.of(5L));
    }

    @Test
    void aFailedQueryFailsTheExchangeWithAthenasReasonAndFetchesNoResults() throws Exception {
        startQueryRoute();
        MockEndpoint athena = getMockEndpoint(ATHENA_MOCK);
        athena.whenAnyExchangeReceived(reply(GetQueryExecutionResponse.builder().queryExecution(QueryExecution.builder()
                .status(QueryExecutionStatus.builder().state(QueryExecutionState.FAILED)
                        .athenaError(AthenaError.builder().errorMessage("TABLE_NOT_FOUND: wikiedits_v").build()).build())
                .build()).build()));

        Exchange answer = template.request("direct:athena-query",
                exchange -> exchange.getMessage().setBody(NamedQueries.TOTAL.bind(Optional.empty(), 1)));

        assertThat(answer.getException()).isInstanceOf(AthenaQueryException.class)
                .hasMessageContaining("q-42").hasMessageContaining("FAILED").hasMessageContaining("TABLE_NOT_FOUND: wikiedits_v");
        assertThat(athena.getReceivedCounter()).as("one poll, no GetQueryResults").isEqualTo(1);
    }

    /** The aws2-athena URI the route called (the mock stands in for it). */
    private static String calledUri(Exchange exchange) {
        return exchange.getProperty(Exchange.TO_ENDPOINT, String.class);
    }

    private static Processor reply(GetQueryExecutionResponse response) {
        return exchange -> exchange.getMessage().setBody(response);
    }

    /** As the aws2-athena producer answers getQueryResults: the page as body, its NextToken as header. */
    private static Processor replyPage(GetQueryResultsResponse page) {
        return exchange -> {
            exchange.getMessage().setBody(page);
            exchange.getMessage().setHeader(Athena2Constants.NEXT_TOKEN, page.nextToken());
        };
    }

    private static GetQueryExecutionResponse status(QueryExecutionState state) {
        return GetQueryExecutionResponse.builder().queryExecution(QueryExecution.builder().queryExecutionId("q-42")
                .status(QueryExecutionStatus.builder().state(state).build()).build()).build();
    }

    /** The one call the steps make on the client itself; anything else fails (AthenaClient's defaults throw). */
    private final class StartOnlyAthenaClient implements AthenaClient {
        @Override
        public StartQueryExecutionResponse startQueryExecution(StartQueryExecutionRequest request) {
            started.add(request);
            return StartQueryExecutionResponse.builder().queryExecutionId("q-42").build();
        }

        @Override
        public String serviceName() {
            return SERVICE_NAME;
        }

        @Override
        public void close() {
        }
    }
}
