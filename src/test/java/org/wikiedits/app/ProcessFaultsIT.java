package org.wikiedits.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.sink.index.EmbeddedOpenSearch;
import org.wikiedits.testing.ForkedApp;
import org.wikiedits.testing.LoopbackPorts;
import org.wikiedits.testing.PipelineFixture;
import org.wikiedits.testing.SseTestServer.Connection;
import org.wikiedits.testing.SseTestServer.LiveClock;
import org.wikiedits.testing.SseTestServer;

/**
 * One run, one data folder: the app (in its own JVM, {@code -Xmx1g}) reads a live-paced stream and is
 * killed with {@code kill -9} three times and stopped with SIGTERM twice, each at a random moment once it runs,
 * and started again each time; at the end every good event is in the lake and the index exactly once
 * by {@code meta.id}. Where {@link org.wikiedits.commit.CrashRecoveryIT} halts at each named point of the commit protocol,
 * this lands anywhere, several times over. The moments come from a seed that the test prints;
 * {@code -Dwikiedits.test.seed=N} replays a failure.
 */
class ProcessFaultsIT {

    private static final double EVENTS_PER_SECOND = 50;
    private static EmbeddedOpenSearch node;

    @TempDir
    static Path nodeDir;

    @TempDir
    Path work;

    @BeforeAll
    static void startNode() {
        node = EmbeddedOpenSearch.start(nodeDir, LoopbackPorts.free());
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    private enum Interruption { KILL_9, SIGTERM }

    @Test
    void killedAndStoppedAtRandomMomentsTheAppStillDeliversEveryGoodEventExactlyOnce() throws Exception {
        long seed = Long.getLong("wikiedits.test.seed", System.nanoTime());
        System.out.println("ProcessFaultsIT seed " + seed + " (replay with -Dwikiedits.test.seed=" + seed + ")");
        Random random = new Random(seed);
        List<Interruption> interruptions = new ArrayList<>(List.of(
                Interruption.KILL_9, Interruption.KILL_9, Interruption.KILL_9, Interruption.SIGTERM, Interruption.SIGTERM));
        Collections.shuffle(interruptions, random);

        PipelineFixture fixture = PipelineFixture.stream(1500);
        Path data = work.resolve("data");
        List<String> logs = new ArrayList<>();
        List<String> checkpointsWhenInterrupted = new ArrayList<>();
        try (SseTestServer server = SseTestServer.start(fixture.lines())) {
            server.otherwise(Connection.serveAll().withRetry(50).live(LiveClock.startingNow(EVENTS_PER_SECOND)));
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("wikiedits.source.url", server.url());
            properties.put("wikiedits.data.dir", data.toString());
            properties.put("wikiedits.opensearch.url", node.url());
            properties.put("wikiedits.lake.roll-seconds", "2");
            properties.put("wikiedits.index.batch-size", "200");
            properties.put("wikiedits.http.port", String.valueOf(LoopbackPorts.free()));
            List<String> jvm = List.of("-Xmx1g", "-XX:+ExitOnOutOfMemoryError");

            for (Interruption interruption : interruptions) {
                long runningMillis = random.nextInt(6_000); // after the start: anywhere in the commit protocol
                try (ForkedApp app = ForkedApp.start(work, properties, jvm, "run")) {
                    await().atMost(Duration.ofMinutes(2)).failFast("the app exited", () -> !app.isAlive())
                            .until(() -> app.log().contains("wikiedits running"));
                    Thread.sleep(runningMillis);
                    assertThat(app.isAlive()).as("the app runs until interrupted; its log:%n%s", app.log()).isTrue();
                    checkpointsWhenInterrupted.add(interruption + " after " + runningMillis + " ms at " + PipelineFixture.checkpoint(data));
                    if (interruption == Interruption.KILL_9) {
                        app.kill();
                    } else {
                        int exit = app.stop(Duration.ofMinutes(1));
                        assertThat(exit).as("SIGTERM ends the app cleanly; its log:%n%s", app.log()).isIn(0, 143);
                    }
                    logs.add(app.log());
                }
            }
            System.out.println("ProcessFaultsIT interruptions: " + checkpointsWhenInterrupted);

            String lastId = server.idOf(fixture.lines().size());
            try (ForkedApp last = ForkedApp.start(work, properties, jvm, "run")) {
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                        .failFast("the restarted app exited", () -> !last.isAlive())
                        .until(() -> lastId.equals(PipelineFixture.checkpoint(data)));
                assertThat(last.stop(Duration.ofMinutes(1))).isIn(0, 143);
                logs.add(last.log());
            }
        }

        assertThat(checkpointsWhenInterrupted).as("some interruptions land mid-stream, after a checkpoint and before the end")
                .anySatisfy(moment -> assertThat(moment).contains("offset").doesNotContain(lastIdOf(fixture)));
        List<String> lake = PipelineFixture.lakeEventIds(data);
        assertThat(lake).doesNotHaveDuplicates();
        assertThat(new HashSet<>(lake)).isEqualTo(fixture.expectedIds());
        List<String> index = PipelineFixture.indexIds(node.url());
        assertThat(index).doesNotHaveDuplicates();
        assertThat(new HashSet<>(index)).isEqualTo(fixture.expectedIds());
        List<JsonNode> deadLetters = PipelineFixture.deadLetters(data);
        assertThat(deadLetters).extracting(letter -> letter.path("raw").asText())
                .as("every unreadable line is a dead letter with its original text (a replay after a kill may repeat one)")
                .containsAll(fixture.malformedLines())
                .allSatisfy(raw -> assertThat(fixture.malformedLines()).contains(raw));
        assertThat(logs).noneSatisfy(log -> assertThat(log).contains("OutOfMemoryError"));
    }

    /** The id of the stream's last line: an interruption there is not mid-stream. */
    private static String lastIdOf(PipelineFixture fixture) {
        return SseTestServer.wikimediaStyleId(fixture.lines().size());
    }
}
