package org.wikiedits.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.wikiedits.config.Settings;
import org.wikiedits.query.IcebergSql;
import org.wikiedits.testing.FakeAwsCredentials;
import org.wikiedits.testing.MotoServer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.QueryExecution;

/**
 * {@code compact --parquet} in aws mode against moto_server: the statements of {@code IcebergSql} go
 * out through the Camel Athena routes (camel-aws2-athena) in their order, each in the workgroup with
 * the database and the result location. moto runs no SQL (the SQL itself is proven on Trino in
 * {@code AthenaSqlOnTrinoIT}); where the command reads rows, each test queues what moto answers.
 */
class CompactCommandAthenaIT {

    private static final String BUCKET = "wikiedits-lake-test";
    private static MotoServer moto;
    private static AthenaClient athena;
    private static FakeAwsCredentials fakeCredentials;

    private String out = "";
    private String err = "";

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoServer.start();
        fakeCredentials = FakeAwsCredentials.install();
        athena = AthenaClient.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(FakeAwsCredentials.provider()).build();
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
    void oneDaySendsTheTablesThenFourMergesOfThatDayThenTheViewEachInTheWorkgroupAndDatabase() {
        int status = compact(Map.of(), "--parquet", "--day", "2026-08-01");

        assertThat(status).as(err).isZero();
        List<QueryExecution> sent = executions();
        assertThat(sent).extracting(e -> e.query().substring(0, e.query().indexOf(' ', 14)))
                .containsExactly("CREATE TABLE IF", "CREATE TABLE IF", "CREATE TABLE IF", "CREATE TABLE IF",
                        "MERGE INTO \"wikiedits\".\"wikiedits_compacted\"", "MERGE INTO \"wikiedits\".\"wikiedits_daily_wiki\"",
                        "MERGE INTO \"wikiedits\".\"wikiedits_hourly_type\"", "MERGE INTO \"wikiedits\".\"wikiedits_top_pages\"",
                        "CREATE OR REPLACE");
        assertThat(sent.get(0).query()).contains("TBLPROPERTIES ('table_type'='ICEBERG'")
                .contains("LOCATION 's3://" + BUCKET + "/compacted/wikiedits_compacted/'").contains("PARTITIONED BY (`dt`)");
        assertThat(sent.subList(4, 8)).allSatisfy(e -> assertThat(e.query()).contains("'2026-08-01'")
                .doesNotContain("2026-08-02"));
        assertThat(sent.get(4).query()).contains("WHERE dt = '2026-08-01'").contains("ON t.dt = s.dt AND t.event_id = s.event_id");
        assertThat(sent.get(8).query()).startsWith("CREATE OR REPLACE VIEW \"wikiedits\".\"" + IcebergSql.ALL_VIEW + "\"");
        assertThat(sent).allSatisfy(e -> {
            assertThat(e.workGroup()).isEqualTo("wikiedits");
            assertThat(e.queryExecutionContext().database()).isEqualTo("wikiedits");
            assertThat(e.resultConfiguration().outputLocation()).startsWith("s3://athena-results/wikiedits/");
            assertThat(e.executionParameters()).isEmpty();
        });
        assertThat(out).contains("dt=2026-08-01: compacted (4 MERGE statements").contains("1 days compacted into Iceberg");
    }

    @Test
    void allCompactsTheCompleteRawDaysAfterTheNewestCompactedOne() throws Exception {
        for (int i = 0; i < 4; i++) {
            moto.queueAthenaResult(List.of("result"), List.of("varchar"), List.of()); // the four CREATE TABLEs
        }
        moto.queueAthenaResult(List.of("dt"), List.of("varchar"), List.of(List.of("2026-08-01")));
        moto.queueAthenaResult(List.of("dt"), List.of("varchar"), List.of(List.of("2026-08-02"), List.of("2026-08-03")));

        int status = compact(Map.of(), "--parquet", "--all");

        assertThat(status).as(err).isZero();
        List<QueryExecution> sent = executions();
        // complete: ended wikiedits.compact.grace (2 hours by default) ago
        LocalDate lastComplete = LocalDate.ofInstant(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC).minusDays(1);
        assertThat(sent.get(5).query()).contains("WHERE dt > '2026-08-01' AND dt <= '" + lastComplete + "'");
        assertThat(sent.subList(6, sent.size() - 1)).extracting(e -> e.query().contains("'2026-08-02'") ? "2026-08-02"
                : e.query().contains("'2026-08-03'") ? "2026-08-03" : "other").containsExactly(
                "2026-08-02", "2026-08-02", "2026-08-02", "2026-08-02", "2026-08-03", "2026-08-03", "2026-08-03", "2026-08-03");
        assertThat(out).contains("dt=2026-08-02: compacted").contains("dt=2026-08-03: compacted")
                .contains("2 days compacted into Iceberg");
    }

    @Test
    void aDayThatIsNotCompleteIsRefusedAndNothingIsSent() {
        String today = LocalDate.now(ZoneOffset.UTC).toString();

        int status = compact(Map.of(), "--parquet", "--day", today);

        assertThat(status).isEqualTo(2);
        assertThat(err).contains(today + " is not complete yet");
        assertThat(executions()).isEmpty();
    }

    @Test
    void withoutTheLakeBucketItSaysWhatToSet() {
        int status = compact(Map.of("wikiedits.s3.bucket", ""), "--parquet", "--day", "2026-08-01");

        assertThat(status).isEqualTo(2);
        assertThat(err).contains("set wikiedits.s3.bucket");
    }

    @Test
    void aStatementAthenaRefusesExitsWith1AndSaysToRunAgain() {
        int status = compact(Map.of("wikiedits.athena.workgroup", "no-such-workgroup"), "--parquet", "--day", "2026-08-01");

        assertThat(status).isEqualTo(1);
        assertThat(err).contains("compaction failed on Athena (workgroup no-such-workgroup)")
                .contains("create table 1/4").contains("WorkGroup does not exist").contains("run the same command again");
    }

    /** The query executions moto received, in the order they were started. */
    private static List<QueryExecution> executions() {
        List<String> ids = athena.listQueryExecutions(b -> b.workGroup("wikiedits")).queryExecutionIds();
        return ids.stream().map(id -> athena.getQueryExecution(b -> b.queryExecutionId(id)).queryExecution()).toList();
    }

    private int compact(Map<String, String> overrides, String... args) {
        Map<String, String> values = new HashMap<>();
        values.put("wikiedits.mode", "aws");
        values.put("wikiedits.aws.region", MotoServer.REGION);
        values.put("wikiedits.athena.endpoint", moto.url());
        values.put("wikiedits.athena.output", "s3://athena-results/wikiedits/");
        values.put("wikiedits.athena.poll-ms", "10");
        values.put("wikiedits.s3.bucket", BUCKET);
        values.putAll(overrides);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try {
            return CompactCommand.run(Settings.load().with(values), args, new PrintStream(stdout, true, StandardCharsets.UTF_8),
                    new PrintStream(stderr, true, StandardCharsets.UTF_8));
        } finally {
            out = stdout.toString(StandardCharsets.UTF_8);
            err = stderr.toString(StandardCharsets.UTF_8);
        }
    }
}
