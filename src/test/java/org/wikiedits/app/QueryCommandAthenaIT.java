package org.wikiedits.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.config.Settings;
import org.wikiedits.testing.FakeAwsCredentials;
import org.wikiedits.testing.ForkedApp;
import org.wikiedits.testing.LoopbackPorts;
import org.wikiedits.testing.MotoServer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;

/**
 * The {@code query} subcommand in aws mode, end to end against moto_server: the named query runs
 * through the Camel Athena routes and prints like local mode. moto runs no SQL; each test queues
 * the rows moto answers. Each run starts and stops its own small Camel context (one at a time).
 */
class QueryCommandAthenaIT {


    private static MotoServer moto;
    private static AthenaClient athena;
    private static FakeAwsCredentials fakeCredentials;

    @TempDir
    Path workDir;

    private String out = "";
    private String err = "";

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoServer.start();
        // the app takes credentials from the default AWS chain; moto accepts any
        fakeCredentials = FakeAwsCredentials.install();
        athena = AthenaClient.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(FakeAwsCredentials.provider())
                .build();
    }

    @AfterAll
    static void stopMoto() throws Exception {
        if (athena != null) {
            athena.close();
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
        athena.createWorkGroup(b -> b.name("wikiedits"));
    }

    @Test
    void theDefaultFormatIsTheSameAlignedTableAsInLocalMode() throws Exception {
        moto.queueAthenaResult(List.of("dt", "wiki", "title", "edits", "page_rank"),
                List.of("varchar", "varchar", "varchar", "bigint", "bigint"),
                List.of(List.of("2026-08-04", "enwiki", "\"Quoted\", title", "2", "1")));

        int status = query(Map.of(), "top_pages", "--limit", "1");

        assertThat(status).as(err).isZero();
        assertThat(out).isEqualTo("""
                dt         | wiki   | title           | edits | page_rank
                -----------+--------+-----------------+-------+----------
                2026-08-04 | enwiki | "Quoted", title |     2 |         1
                (1 row)
                """);
        assertThat(athena.listQueryExecutions(b -> b.workGroup("wikiedits")).queryExecutionIds()).hasSize(1);
    }

    @Test
    void jsonOutputKeepsAthenasTypesAndNulls() throws Exception {
        moto.queueAthenaResult(List.of("dt", "wiki", "type", "events"), List.of("varchar", "varchar", "varchar", "bigint"),
                List.of(List.of("2026-08-04", "enwiki", "edit", "2"), Arrays.asList("2026-08-04", null, "log", "1")));

        int status = query(Map.of(), "daily_counts", "--date", "2026-08-04", "--format", "json");

        assertThat(status).as(err).isZero();
        JsonNode rows = new ObjectMapper().readTree(out);
        assertThat(rows.get(0).toString()).isEqualTo("{\"dt\":\"2026-08-04\",\"wiki\":\"enwiki\",\"type\":\"edit\",\"events\":2}");
        assertThat(rows.get(1).toString()).isEqualTo("{\"dt\":\"2026-08-04\",\"wiki\":null,\"type\":\"log\",\"events\":1}");
        String id = athena.listQueryExecutions(b -> b.workGroup("wikiedits")).queryExecutionIds().get(0);
        assertThat(athena.getQueryExecution(b -> b.queryExecutionId(id)).queryExecution().executionParameters())
                .containsExactly("'2026-08-04'", "'2026-08-04'");
    }

    @Test
    void aQueryAthenaRefusesExitsWith1AndSaysWhy() {
        int status = query(Map.of("wikiedits.athena.workgroup", "no-such-workgroup"), "total", "--format", "csv");

        assertThat(status).isEqualTo(1);
        assertThat(out).isEmpty();
        assertThat(err).contains("wikiedits: total failed on Athena (workgroup no-such-workgroup)")
                .contains("WorkGroup does not exist");
    }

    @Test
    void aQueryWithoutAResultLocationSaysToSetOne() {
        // moto's workgroup has no output location, like an Athena workgroup without one
        int status = query(Map.of("wikiedits.athena.output", ""), "total");

        assertThat(status).isEqualTo(1);
        assertThat(err).contains("has no result location").contains("set wikiedits.athena.output");
    }

    @Test
    void missingOrInvalidAthenaSettingsAreUsageErrorsThatSayWhatToSet() {
        int status = query(Map.of("wikiedits.athena.output", "bucket/results"), "total");

        assertThat(status).isEqualTo(2);
        assertThat(err).contains("wikiedits.athena.output must be an s3:// location");
    }

    @Test
    void theSubcommandRunsAsAProcessWithoutThePipelineAndExitsOnItsOwn() throws Exception {
        moto.queueAthenaResult(List.of("records", "events", "duplicates"), List.of("bigint", "bigint", "bigint"),
                List.of(List.of("4", "3", "1")));
        int unusedPort = LoopbackPorts.free();
        Map<String, String> properties = new HashMap<>(settings(Map.of()));
        properties.put("aws.accessKeyId", FakeAwsCredentials.ACCESS_KEY);
        properties.put("aws.secretAccessKey", FakeAwsCredentials.ACCESS_KEY);
        properties.put("wikiedits.data.dir", workDir.resolve("data").toString());
        properties.put("wikiedits.http.port", Integer.toString(unusedPort));
        properties.put("wikiedits.opensearch.embedded.http-port", Integer.toString(unusedPort));

        try (ForkedApp app = ForkedApp.start(workDir, properties, List.of("-Xmx256m"), "query", "total", "--format", "csv")) {
            assertThat(app.awaitExit(Duration.ofSeconds(90))).as(app.log()).isZero();
            assertThat(app.log()).contains("records,events,duplicates\n4,3,1\n")
                    .doesNotContain("starting in aws mode").doesNotContain("OpenSearch");
        }
        // neither the pipeline (data dir) nor the embedded node (its port) was started
        assertThat(workDir.resolve("data")).doesNotExist();
        assertThat(portIsFree(unusedPort)).isTrue();
    }

    private static Map<String, String> settings(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>();
        values.put("wikiedits.mode", "aws");
        values.put("wikiedits.aws.region", MotoServer.REGION);
        values.put("wikiedits.athena.endpoint", moto.url());
        values.put("wikiedits.athena.output", "s3://athena-results/wikiedits/");
        values.put("wikiedits.athena.poll-ms", "10");
        values.putAll(overrides);
        return values;
    }

    private int query(Map<String, String> overrides, String... args) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try {
            return QueryCommand.run(Settings.load().with(settings(overrides)), args,
                    new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));
        } finally {
            out = stdout.toString(StandardCharsets.UTF_8);
            err = stderr.toString(StandardCharsets.UTF_8);
        }
    }


    private static boolean portIsFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
