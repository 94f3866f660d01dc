package org.wikiedits.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.wikiedits.infra.InfraScripts.aws;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.app.Pipeline;
import org.wikiedits.query.LakeSql;
import org.wikiedits.query.NamedQueries;
import org.wikiedits.sink.index.EmbeddedOpenSearch;
import org.wikiedits.testing.FakeAwsCredentials;
import org.wikiedits.testing.ForkedApp;
import org.wikiedits.testing.Kinesalite;
import org.wikiedits.testing.LoopbackPorts;
import org.wikiedits.testing.MotoServer;
import org.wikiedits.testing.PrintedCommand;
import org.wikiedits.testing.TestEvents;
import org.wikiedits.transform.CsvRow;
import org.wikiedits.transform.RecentChangeReader;
import org.wikiedits.wiring.AwsApp;

/**
 * {@code infra/local} against kinesalite and moto_server for each delivery, then the app in aws mode
 * (in-process, the shipped routes) writing into what it created, read back with the AWS CLI, then
 * {@code infra/local --delete}, after which nothing of it is left on either emulator.
 */
class LocalInfraIT {

    private static final String LAKE_BUCKET = "it-local-lake";
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(5);

    private static EmbeddedOpenSearch node;
    private static MotoServer moto;
    private static Kinesalite kinesalite;
    private static FakeAwsCredentials credentials;

    @TempDir
    Path data;

    @BeforeAll
    static void startEmulators(@TempDir Path nodeDir) throws Exception {
        node = EmbeddedOpenSearch.start(nodeDir, LoopbackPorts.free()); // first: before anything Netty-based
        moto = MotoServer.start();
        kinesalite = Kinesalite.start();
        credentials = FakeAwsCredentials.install();
        assertThat(Path.of("target", "camel-app.jar")).as("built by package, before the integration tests").exists();
    }

    @AfterAll
    static void stopEmulators() throws Exception {
        if (credentials != null) {
            credentials.close();
        }
        if (kinesalite != null) {
            kinesalite.close();
        }
        if (moto != null) {
            moto.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @BeforeEach
    void freshEmulatorsAndIndex() throws Exception {
        moto.reset();
        // the node is shared: each scenario counts its own documents
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.url() + "/wikiedits")).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
    }

    @Test
    void firehoseDirectEventsReachTheLakeBucketThroughMotosFirehoseAndTheGlueTableAndQueriesAreTheContracts() throws Exception {
        Map<String, String> settings = settings("firehose-direct");
        String output = local(settings, List.of()).output();
        assertThat(output).contains("kinesalite", "moto", "-Dwikiedits.aws.delivery=firehose-direct", "-Dwikiedits.s3.bucket=" + LAKE_BUCKET);
        assertThat(local(settings, List.of()).output()).as("a second run finds everything in place")
                .doesNotContain("moto: bucket", "moto: Firehose stream", "moto: Glue", "moto: Athena workgroup");

        JsonNode table = aws(moto.url(), "glue", "get-table", "--database-name", "wikiedits", "--name", LakeSql.TABLE).at("/Table");
        assertThat(table.at("/StorageDescriptor/Columns").findValuesAsText("Name"))
                .isEqualTo(LakeSql.glueColumns().stream().map(LakeSql.GlueColumn::name).toList());
        assertThat(table.at("/StorageDescriptor/Location").asText()).isEqualTo("s3://" + LAKE_BUCKET + "/wikiedits/");
        assertThat(table.at("/Parameters/projection.enabled").asText()).isEqualTo("true");
        List<String> queries = new ArrayList<>();
        for (JsonNode id : aws(moto.url(), "athena", "list-named-queries", "--work-group", "wikiedits").at("/NamedQueryIds")) {
            JsonNode query = aws(moto.url(), "athena", "get-named-query", "--named-query-id", id.asText()).at("/NamedQuery");
            assertThat(query.at("/QueryString").asText()).isEqualTo(
                    NamedQueries.byName(query.at("/Name").asText()).sql().replace("{limit}", "100"));
            queries.add(query.at("/Name").asText());
        }
        assertThat(queries).containsExactlyInAnyOrderElementsOf(NamedQueries.all().stream().map(NamedQueries.NamedQuery::name).toList());
        assertThat(athenaStatements()).as("the views wikiedits_v and wikiedits_all (the named queries read it), once per run")
                .containsExactlyInAnyOrder(LakeSql.athenaCreateView("wikiedits", LakeSql.TABLE), LakeSql.athenaCreateAllView("wikiedits"),
                        LakeSql.athenaCreateView("wikiedits", LakeSql.TABLE), LakeSql.athenaCreateAllView("wikiedits"));

        List<String> events = TestEvents.edits(300, Instant.parse("2026-11-25T22:30:00Z"));
        Map<String, String> app = appSettings("firehose-direct", events);
        app.put("wikiedits.firehose.endpoint", moto.url());
        app.put("wikiedits.firehose.linger-ms", "100");
        try (Pipeline pipeline = AwsApp.start(app)) {
            await().pollInterval(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(60)).until(() -> recordsIn("firehose-raw/lake/").size() >= events.size()
                    && recordsIn("firehose-raw/index/").size() >= events.size());
        }
        // moto runs no transformation Lambda: each stream delivers the events as the app sent them
        assertThat(recordsIn("firehose-raw/lake/")).containsExactlyInAnyOrderElementsOf(events);
        assertThat(recordsIn("firehose-raw/index/")).containsExactlyInAnyOrderElementsOf(events);

        assertDeleteLeavesNothing(settings);
        assertThat(local(settings, List.of("--delete")).output()).as("deleting again is harmless")
                .contains("done").doesNotContain("moto: bucket");
    }

    @Test
    void firehoseDeliveryEventsReachTheKinesaliteStreamTheFirehoseStreamsWouldRead() throws Exception {
        Map<String, String> settings = settings("firehose");
        local(settings, List.of());
        JsonNode lakeStream = aws(moto.url(), "firehose", "describe-delivery-stream", "--delivery-stream-name", "wikiedits-lake");
        assertThat(lakeStream.at("/DeliveryStreamDescription/DeliveryStreamType").asText()).isEqualTo("KinesisStreamAsSource");

        List<String> events = TestEvents.edits(300, Instant.parse("2026-11-25T10:00:00Z"));
        try (Pipeline pipeline = AwsApp.start(appSettings("firehose", events))) {
            await().pollInterval(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(60)).until(() -> kinesisRecords().size() >= events.size());
        }
        assertThat(kinesisRecords()).containsExactlyInAnyOrderElementsOf(events);

        assertDeleteLeavesNothing(settings);
    }

    @Test
    void camelDeliveryWritesTheLakeIntoMotosBucketInEventHourPartitionsAndTheIndex() throws Exception {
        Map<String, String> settings = settings("camel");
        local(settings, List.of());
        assertThat(aws(moto.url(), "firehose", "list-delivery-streams").at("/DeliveryStreamNames")).as("no Firehose for camel").isEmpty();

        List<String> events = TestEvents.edits(300, Instant.parse("2026-11-25T22:30:00Z"));
        Map<String, String> app = appSettings("camel", events);
        app.put("wikiedits.s3.endpoint", moto.url());
        app.put("wikiedits.opensearch.url", node.url());
        app.put("wikiedits.index.linger-ms", "200");
        try (Pipeline pipeline = AwsApp.start(app)) {
            await().pollInterval(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(90)).until(() -> lakeRows().size() >= events.size() && indexCount() >= events.size());
        }
        Map<String, List<String>> lake = lakeObjects();
        List<String> expected = new ArrayList<>();
        for (String event : events) {
            expected.add(CsvRow.of(RecentChangeReader.read(event)).stripTrailing());
        }
        assertThat(lake.values().stream().flatMap(List::stream).toList()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(lake.keySet()).allMatch(key -> key.matches("wikiedits/dt=\\d{4}-\\d{2}-\\d{2}/hour=\\d{2}/[^/]+\\.csv"));
        assertThat(indexCount()).isEqualTo(events.size());

        assertDeleteLeavesNothing(settings);
    }

    @Test
    void theCommandItPrintsForCamelDeliveryRunsAsPrintedAndAnswersTheHistoryAndQueryTotal() throws Exception {
        Map<String, String> settings = settings("camel");
        settings.put("WIKIEDITS_OPENSEARCH_URL", node.url()); // the OpenSearch the user runs; infra/local starts none
        String output = local(settings, List.of()).output();
        PrintedCommand printed = PrintedCommand.parse(output.substring(output.indexOf("Run the app against this stack:")));
        assertThat(printed.properties()).as("offline: a source that needs no network")
                .containsEntry("wikiedits.source.url", "generator:");

        int port = LoopbackPorts.free();
        // what a test must choose itself: a data folder, a free port; lake files every 2 s instead of 60 s
        try (ForkedApp app = printed.start(data.resolve("run"), Map.of("wikiedits.data.dir", data.resolve("app").toString(),
                "wikiedits.http.port", String.valueOf(port), "wikiedits.lake.roll-seconds", "2"), List.of("-Xmx512m"))) {
            try {
                await().pollInterval(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(90))
                        .failFast("the printed command exited", () -> !app.isAlive())
                        .until(() -> !lakeRows().isEmpty() && indexCount() > 0);
            } catch (org.awaitility.core.ConditionTimeoutException | org.awaitility.core.TerminalFailureException e) {
                throw new AssertionError(e.getMessage() + "; the app's log:\n" + app.log(), e);
            }
            HttpResponse<String> history = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/history/daily")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(history.statusCode()).as(history.body()).isEqualTo(200);
            assertThat(history.body()).contains("\"panel\":\"daily\"");

            // moto runs no SQL: the rows it answers are queued
            moto.queueAthenaResult(List.of("records", "events", "duplicates"), List.of("bigint", "bigint", "bigint"),
                    List.of(List.of("7", "6", "1")));
            try (ForkedApp query = printed.withArgs("query", "total", "--format", "csv").start(data.resolve("query"), Map.of(),
                    List.of("-Xmx256m"))) {
                assertThat(query.awaitExit(Duration.ofSeconds(90))).as(query.log()).isZero();
                assertThat(query.log()).contains("records,events,duplicates\n7,6,1\n");
            }
            assertThat(app.stop(Duration.ofSeconds(60))).as(app.log()).isIn(0, 143);
        }
        assertDeleteLeavesNothing(settings);
    }

    // ------------------------------------------------------------------ the scripts and the app

    private static Map<String, String> settings(String delivery) {
        Map<String, String> settings = new HashMap<>();
        settings.put("WIKIEDITS_AWS_DELIVERY", delivery);
        settings.put("WIKIEDITS_S3_BUCKET", LAKE_BUCKET);
        settings.put("WIKIEDITS_INFRA_STACK", "it-local");
        return settings;
    }

    private static InfraScripts.Result local(Map<String, String> settings, List<String> extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--kinesis-endpoint", kinesalite.endpoint().toString(), "--moto-endpoint", moto.url()));
        args.addAll(extra);
        return InfraScripts.script("local", args, settings, SCRIPT_TIMEOUT).expectSuccess("local " + String.join(" ", extra));
    }

    private Map<String, String> appSettings(String delivery, List<String> events) throws IOException {
        Path recording = TestEvents.write(data.resolve("recording.ndjson"), events);
        Map<String, String> app = new HashMap<>(AwsApp.settings(data.resolve("app"), recording, kinesalite.endpoint(), "wikiedits"));
        app.put("wikiedits.aws.delivery", delivery);
        app.put("wikiedits.s3.bucket", LAKE_BUCKET);
        return app;
    }

    private void assertDeleteLeavesNothing(Map<String, String> settings) throws Exception {
        local(settings, List.of("--delete"));

        assertThat(aws(moto.url(), "s3api", "list-buckets").at("/Buckets")).isEmpty();
        assertThat(aws(moto.url(), "firehose", "list-delivery-streams").at("/DeliveryStreamNames")).isEmpty();
        assertThat(aws(moto.url(), "glue", "get-databases").at("/DatabaseList")).isEmpty();
        assertThat(aws(moto.url(), "athena", "list-work-groups").at("/WorkGroups").findValuesAsText("Name")).containsExactly("primary");
        assertThat(aws(moto.url(), "iam", "list-roles").at("/Roles")).isEmpty();
        assertThat(aws(kinesalite.endpoint().toString(), "kinesis", "list-streams").at("/StreamNames")).isEmpty();
    }

    // ------------------------------------------------------------------ reading back with the AWS CLI

    /** The lake bucket's objects under {@code prefix}, each split into the JSON records moto wrote back to back. */
    private List<String> recordsIn(String prefix) throws Exception {
        List<String> records = new ArrayList<>();
        for (String text : download(prefix).values()) {
            // the app sends one event per record, without a delimiter; each event is one JSON object
            int depth = 0;
            int start = 0;
            boolean inString = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (inString) {
                    if (c == '\\') {
                        i++;
                    } else if (c == '"') {
                        inString = false;
                    }
                } else if (c == '"') {
                    inString = true;
                } else if (c == '{' && depth++ == 0) {
                    start = i;
                } else if (c == '}' && --depth == 0) {
                    records.add(text.substring(start, i + 1));
                }
            }
        }
        return records;
    }

    private Map<String, List<String>> lakeObjects() throws Exception {
        Map<String, List<String>> objects = new HashMap<>();
        download("wikiedits/").forEach((key, text) -> objects.put(key, text.lines().filter(l -> !l.isEmpty()).toList()));
        return objects;
    }

    private List<String> lakeRows() throws Exception {
        return lakeObjects().values().stream().flatMap(List::stream).toList();
    }

    /** {@code aws s3 cp --recursive} of the lake bucket's {@code prefix}: key -> text. */
    private Map<String, String> download(String prefix) throws Exception {
        Path target = Files.createTempDirectory(data, "s3-");
        aws(moto.url(), "s3", "cp", "s3://" + LAKE_BUCKET + "/" + prefix, target.toString(), "--recursive", "--only-show-errors");
        Map<String, String> texts = new HashMap<>();
        try (Stream<Path> files = Files.walk(target)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                texts.put(prefix + target.relativize(file).toString().replace('\\', '/'), Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return texts;
    }

    /** Every record of the kinesalite stream's shards, from the start, decoded. */
    private static List<String> kinesisRecords() throws Exception {
        String endpoint = kinesalite.endpoint().toString();
        List<String> records = new ArrayList<>();
        for (JsonNode shard : aws(endpoint, "kinesis", "list-shards", "--stream-name", "wikiedits").at("/Shards")) {
            String iterator = aws(endpoint, "kinesis", "get-shard-iterator", "--stream-name", "wikiedits", "--shard-id",
                    shard.at("/ShardId").asText(), "--shard-iterator-type", "TRIM_HORIZON").at("/ShardIterator").asText();
            while (true) {
                JsonNode page = aws(endpoint, "kinesis", "get-records", "--shard-iterator", iterator, "--limit", "10000");
                page.at("/Records").forEach(r -> records.add(new String(Base64.getDecoder().decode(r.at("/Data").asText()),
                        StandardCharsets.UTF_8)));
                if (page.at("/Records").isEmpty() || page.at("/MillisBehindLatest").asLong() == 0) {
                    break;
                }
                iterator = page.at("/NextShardIterator").asText();
            }
        }
        return records;
    }

    private static List<String> athenaStatements() throws Exception {
        List<String> statements = new ArrayList<>();
        for (JsonNode id : aws(moto.url(), "athena", "list-query-executions", "--work-group", "wikiedits").at("/QueryExecutionIds")) {
            statements.add(aws(moto.url(), "athena", "get-query-execution", "--query-execution-id", id.asText())
                    .at("/QueryExecution/Query").asText());
        }
        return statements;
    }

    private static long indexCount() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        http.send(HttpRequest.newBuilder(URI.create(node.url() + "/wikiedits/_refresh")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(node.url() + "/wikiedits/_count")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return 0;
        }
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).at("/count").asLong();
    }
}
