package org.wikiedits.query.athena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.wikiedits.config.Settings;
import org.wikiedits.query.NamedQueries;
import org.wikiedits.testing.FakeAwsCredentials;
import org.wikiedits.testing.MotoServer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.InvalidRequestException;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;

/**
 * The Athena routes ({@code routes/athena/query.camel.yaml}) in the query context
 * ({@link AthenaQueryRunner}) against moto_server. moto runs no SQL: each test queues the rows moto
 * answers for the next query execution and checks what the app sent and how it read the answer.
 * {@link AthenaRecordingProxy} in front of moto records the calls and pages the results, which moto
 * itself does not. One query context serves every test: Camel JBang's CLI connector (on the test
 * class path) stops a context when another one of the same JVM stops, so contexts must not overlap.
 */
class AthenaRoutesIT {

    private static final String OUTPUT = "s3://athena-results/wikiedits/";

    private static MotoServer moto;
    private static AthenaRecordingProxy proxy;
    private static AthenaClient athena;
    private static AthenaQueryRunner runner;
    private static FakeAwsCredentials fakeCredentials;

    @BeforeAll
    static void startMotoAndTheQueryRoutes() throws Exception {
        moto = MotoServer.start();
        proxy = new AthenaRecordingProxy(moto.url());
        // the app takes credentials from the default AWS chain; moto accepts any
        fakeCredentials = FakeAwsCredentials.install();
        athena = AthenaClient.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(FakeAwsCredentials.provider())
                .build();
        Map<String, String> values = new HashMap<>();
        values.put("wikiedits.mode", "aws");
        values.put("wikiedits.aws.region", MotoServer.REGION);
        values.put("wikiedits.athena.endpoint", proxy.url());
        values.put("wikiedits.athena.output", OUTPUT);
        values.put("wikiedits.athena.poll-ms", "10");
        values.put("wikiedits.athena.page-size", "2");
        values.put("wikiedits.athena.timeout-seconds", "2");
        runner = AthenaQueryRunner.start(Settings.load().with(values));
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (runner != null) {
            runner.close();
        }
        if (athena != null) {
            athena.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (moto != null) {
            moto.close();
        }
        if (fakeCredentials != null) {
            fakeCredentials.close();
        }
    }

    @BeforeEach
    void freshAthenaWithTheWorkgroup() throws Exception {
        moto.reset();
        moto.setAthenaProgression(0);
        athena.createWorkGroup(b -> b.name("wikiedits"));
        proxy.clear();
    }

    @Test
    void theNamedQueryIsSentAsWrittenWithItsDatesAsExecutionParametersToTheConfiguredWorkgroup() throws Exception {
        moto.queueAthenaResult(List.of("dt", "wiki", "type", "events"), List.of("varchar", "varchar", "varchar", "bigint"),
                List.of(row("2026-08-04", "enwiki", "edit", "2")));
        NamedQueries.BoundQuery query = NamedQueries.DAILY_COUNTS.bind(Optional.of(LocalDate.of(2026, 8, 4)), 50);

        NamedQueries.Result result = runner.run(query);

        List<JsonNode> starts = proxy.calls("StartQueryExecution");
        assertThat(starts).hasSize(1);
        JsonNode start = starts.get(0);
        assertThat(start.path("QueryString").asText()).isEqualTo(query.sql());
        assertThat(strings(start.path("ExecutionParameters"))).containsExactly("'2026-08-04'", "'2026-08-04'");
        assertThat(start.path("WorkGroup").asText()).isEqualTo("wikiedits");
        assertThat(start.path("ResultConfiguration").path("OutputLocation").asText()).isEqualTo(OUTPUT);
        assertThat(start.path("QueryExecutionContext").path("Database").asText()).isEqualTo("wikiedits");
        // and moto took it as such
        String id = proxy.calls("GetQueryExecution").get(0).path("QueryExecutionId").asText();
        QueryExecution stored = athena.getQueryExecution(b -> b.queryExecutionId(id)).queryExecution();
        assertThat(stored.query()).isEqualTo(query.sql());
        assertThat(stored.executionParameters()).containsExactly("'2026-08-04'", "'2026-08-04'");
        assertThat(stored.workGroup()).isEqualTo("wikiedits");
        assertThat(result.rows()).containsExactly(List.of("2026-08-04", "enwiki", "edit", 2L));
    }

    @Test
    void theQueryIsPolledWhileQueuedAndRunningAndItsResultsAreReadOnlyOnceItSucceeded() throws Exception {
        moto.setAthenaProgression(3);
        moto.queueAthenaResult(List.of("records", "events", "duplicates"), List.of("bigint", "bigint", "bigint"),
                List.of(row("4", "3", "1")));

        NamedQueries.Result result = runner.run(NamedQueries.TOTAL.bind(Optional.empty(), 1));

        // QUEUED for 2 polls, RUNNING for 3, SUCCEEDED at the 6th; moto refuses GetQueryResults before that
        List<String> operations = proxy.calls().stream().map(AthenaRecordingProxy.Call::operation).toList();
        assertThat(operations).containsExactly("StartQueryExecution",
                "GetQueryExecution", "GetQueryExecution", "GetQueryExecution",
                "GetQueryExecution", "GetQueryExecution", "GetQueryExecution",
                "GetQueryResults");
        assertThat(result.rows()).containsExactly(List.of(4L, 3L, 1L));
    }

    @Test
    void resultsLongerThanAPageAreFollowedByNextTokenAndMappedToTypedRows() throws Exception {
        moto.queueAthenaResult(List.of("dt", "events", "bot_events", "bot_share"), List.of("varchar", "bigint", "bigint", "double"),
                List.of(row("2026-08-01", "10", "5", "0.5"), row("2026-08-02", "3", "1", "0.3333"),
                        row("2026-08-03", "0", "0", null), row("2026-08-04", "7", "7", "1.0"), row("2026-08-05", "1", "0", "0.0")));

        NamedQueries.Result result = runner.run(NamedQueries.BOT_SHARE.bind(Optional.empty(), 100));

        // page size 2: the header row and 5 rows come in pages of 2, 2, 2
        List<JsonNode> pages = proxy.calls("GetQueryResults");
        assertThat(pages).hasSize(3);
        assertThat(pages).allSatisfy(call -> assertThat(call.path("MaxResults").asInt()).isEqualTo(2));
        assertThat(pages.get(0).has("NextToken")).isFalse();
        assertThat(pages.get(1).path("NextToken").asText()).isEqualTo("proxy-offset-2");
        assertThat(pages.get(2).path("NextToken").asText()).isEqualTo("proxy-offset-4");
        assertThat(result.columns()).containsExactly("dt", "events", "bot_events", "bot_share");
        assertThat(result.rows()).containsExactly(
                List.of("2026-08-01", 10L, 5L, 0.5), List.of("2026-08-02", 3L, 1L, 0.3333),
                Arrays.asList("2026-08-03", 0L, 0L, null), List.of("2026-08-04", 7L, 7L, 1.0),
                List.of("2026-08-05", 1L, 0L, 0.0));
    }

    @Test
    void aQueryThatOutlivesItsTimeoutIsCancelledAndReported() throws Exception {
        moto.setAthenaProgression(1_000_000);

        assertThatThrownBy(() -> runner.run(NamedQueries.TOTAL.bind(Optional.empty(), 1)))
                .isInstanceOf(AthenaQueryException.class).hasMessageContaining("did not finish within 2 s");

        List<JsonNode> stops = proxy.calls("StopQueryExecution");
        assertThat(stops).hasSize(1);
        String id = stops.get(0).path("QueryExecutionId").asText();
        assertThat(athena.getQueryExecution(b -> b.queryExecutionId(id)).queryExecution().status().state())
                .isEqualTo(QueryExecutionState.CANCELLED);
        assertThat(proxy.calls("GetQueryResults")).isEmpty();
    }

    @Test
    void aQueryAthenaRefusesFailsWithAthenasMessageAndIsNotPolled() throws Exception {
        moto.reset(); // no workgroup any more

        assertThatThrownBy(() -> runner.run(NamedQueries.TOTAL.bind(Optional.empty(), 1)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("WorkGroup does not exist");

        assertThat(proxy.calls().stream().map(AthenaRecordingProxy.Call::operation)).containsExactly("StartQueryExecution");
    }

    // ------------------------------------------------------------------ helpers

    private static List<String> row(String... values) {
        return Arrays.asList(values);
    }

    private static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

}
