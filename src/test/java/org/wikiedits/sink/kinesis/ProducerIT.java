package org.wikiedits.sink.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.app.Pipeline;
import org.wikiedits.commit.CheckpointStore;
import org.wikiedits.testing.FaultInjectingKinesisProxy;
import org.wikiedits.testing.Kinesalite;
import org.wikiedits.testing.KinesisStreams;
import org.wikiedits.testing.Samples;
import org.wikiedits.testing.TestEvents;
import org.wikiedits.wiring.AwsApp;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * The aws-mode producer end to end: a recording replayed through the shipped routes (source.camel.yaml,
 * routes/aws/kinesis/publish.camel.yaml) into kinesalite, through a proxy that makes PutRecords fail partly.
 */
class ProducerIT {

    private static Kinesalite kinesalite;
    private static FaultInjectingKinesisProxy proxy;
    private static KinesisClient kinesis;

    @TempDir
    Path data;

    @BeforeAll
    static void startKinesis() throws Exception {
        KinesisStreams.useTestCredentials();
        kinesalite = Kinesalite.start();
        proxy = FaultInjectingKinesisProxy.start(kinesalite.endpoint());
        kinesis = KinesisStreams.client(kinesalite.endpoint());
    }

    @AfterAll
    static void stopKinesis() throws Exception {
        if (kinesis != null) {
            kinesis.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (kinesalite != null) {
            kinesalite.close();
        }
    }

    private static String checkpoint(Path data, Path recording) {
        return new CheckpointStore(data.resolve("state"), "file:" + recording.toAbsolutePath()).lastEventId().orElse("");
    }

    @Test
    void everyGoodEventReachesTheStreamOnceAsTheOriginalBytesAndOnlyRefusedEntriesAreSentAgain() throws Exception {
        String stream = "producer-" + System.nanoTime();
        KinesisStreams.create(kinesis, stream, 2);
        List<String> good = new ArrayList<>(TestEvents.edits(1200, Instant.parse("2026-11-25T09:30:00Z")));
        good.addAll(Samples.linesIfPresent());
        List<String> lines = new ArrayList<>(good);
        lines.add(600, TestEvents.canary(Instant.parse("2026-11-25T10:00:00Z")));
        lines.add(700, "{not json");
        Path recording = TestEvents.write(data.resolve("recording.ndjson"), lines);
        int callsBefore = proxy.calls().size();
        // refuse every 7th entry of this test's first four calls, as a hot shard would
        proxy.policy((call, entries) -> call - callsBefore < 4
                ? IntStream.range(0, entries).filter(i -> i % 7 == 3).boxed().collect(Collectors.toSet()) : Set.of());

        try (Pipeline app = AwsApp.start(AwsApp.settings(data, recording, proxy.endpoint(), stream))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> checkpoint(data, recording).equals(String.valueOf(lines.size())));
        }

        List<Record> records = KinesisStreams.readAll(kinesis, stream);
        assertThat(records.stream().map(r -> r.data().asUtf8String()).sorted().toList())
                .as("every good event once, byte for byte; no canary, no malformed line").isEqualTo(good.stream().sorted().toList());
        assertThat(records.stream().map(Record::partitionKey).collect(Collectors.toSet()))
                .as("one partition key per distinct meta.id").hasSize(good.size() - duplicateIds(good));
        assertThat(KinesisStreams.readShard(kinesis, stream, "shardId-000000000000").size())
                .as("keys spread over both shards").isBetween(good.size() * 3 / 10, good.size() * 7 / 10);

        List<FaultInjectingKinesisProxy.Call> calls = proxy.calls().subList(callsBefore, proxy.calls().size());
        Map<String, Integer> timesSent = new HashMap<>();
        Map<String, Integer> timesRefused = new HashMap<>();
        for (FaultInjectingKinesisProxy.Call call : calls) {
            assertThat(call.data()).hasSizeLessThanOrEqualTo(500);
            for (int i = 0; i < call.data().size(); i++) {
                timesSent.merge(call.data().get(i), 1, Integer::sum);
                if (call.refused().contains(i)) {
                    timesRefused.merge(call.data().get(i), 1, Integer::sum);
                }
            }
        }
        assertThat(timesRefused).as("the proxy did refuse entries").isNotEmpty();
        Map<String, Integer> expectedSends = new HashMap<>();
        for (String event : good) {
            String data64 = Base64.getEncoder().encodeToString(event.getBytes(StandardCharsets.UTF_8));
            expectedSends.merge(data64, 1, Integer::sum);
        }
        timesRefused.forEach((data64, refused) -> expectedSends.merge(data64, refused, Integer::sum));
        assertThat(timesSent).as("each entry sent once, plus once per refusal: accepted entries are never re-sent")
                .isEqualTo(expectedSends);
    }

    @Test
    void theCheckpointDoesNotMoveWhileKinesisRefusesTheRecords() throws Exception {
        String stream = "refusing-" + System.nanoTime();
        KinesisStreams.create(kinesis, stream, 1);
        List<String> lines = TestEvents.edits(50, Instant.parse("2026-11-25T09:30:00Z"));
        Path recording = TestEvents.write(data.resolve("recording.ndjson"), lines);
        List<String> checkpointWhileRefused = new CopyOnWriteArrayList<>();
        int first = proxy.calls().size();
        proxy.policy((call, entries) -> {
            if (call - first < 5) {
                checkpointWhileRefused.add(checkpoint(data, recording));
                return IntStream.range(0, entries).boxed().collect(Collectors.toSet());
            }
            return Set.of();
        });

        try (Pipeline app = AwsApp.start(AwsApp.settings(data, recording, proxy.endpoint(), stream))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> checkpoint(data, recording).equals("50"));
        }

        assertThat(checkpointWhileRefused).as("no checkpoint while every entry was refused").hasSize(5).containsOnly("");
        assertThat(KinesisStreams.readAll(kinesis, stream)).hasSize(50);
    }

    private static int duplicateIds(List<String> events) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        Set<String> ids = new HashSet<>();
        int duplicates = 0;
        for (String event : events) {
            if (!ids.add(mapper.readTree(event).path("meta").path("id").asText())) {
                duplicates++;
            }
        }
        return duplicates;
    }
}
