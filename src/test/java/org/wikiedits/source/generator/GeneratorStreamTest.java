package org.wikiedits.source.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.wikiedits.source.EventTime;
import org.wikiedits.source.SourceEvent;

class GeneratorStreamTest {

    private static List<SourceEvent> take(int count, Optional<String> resumeAfter) throws InterruptedException {
        GeneratorStream stream = new GeneratorStream(0, resumeAfter);
        List<SourceEvent> events = new ArrayList<>();
        stream.run(event -> {
            events.add(event);
            if (events.size() == count) {
                stream.close();
            }
        });
        return events;
    }

    @Test
    void aFreshRunNumbersItsEventsFromOneAfterItsName() throws Exception {
        List<SourceEvent> events = take(5, Optional.empty());
        String run = events.get(0).id().substring(0, events.get(0).id().indexOf(':'));
        assertThat(run).matches("[0-9a-f]{8}");
        assertThat(events).extracting(SourceEvent::id).containsExactly(run + ":1", run + ":2", run + ":3", run + ":4", run + ":5");
        assertThat(events.get(2).data()).contains(SyntheticEvents.eventId(run, 3).toString());
    }

    @Test
    void aResumedGeneratorContinuesAfterTheLastIdWithTheSameMetaIds() throws Exception {
        List<SourceEvent> firstRun = take(50, Optional.empty());
        String run = firstRun.get(0).id().substring(0, firstRun.get(0).id().indexOf(':'));
        List<SourceEvent> afterCrash = take(20, Optional.of(run + ":30"));
        assertThat(afterCrash).extracting(SourceEvent::id).first().isEqualTo(run + ":31");
        for (int i = 0; i < 20; i++) {
            String replayed = afterCrash.get(i).data();
            String original = firstRun.get(30 + i).data();
            assertThat(metaId(replayed)).isEqualTo(metaId(original));
            // the same event but for its time
            Instant dt = EventTime.metaDt(original).orElseThrow();
            Instant dtReplayed = EventTime.metaDt(replayed).orElseThrow();
            assertThat(SyntheticEvents.event(run, 31 + i, dt)).isEqualTo(original);
            assertThat(SyntheticEvents.event(run, 31 + i, dtReplayed)).isEqualTo(replayed);
        }
    }

    @Test
    void aCheckpointFromBeforeRunsWereNamedResumesTheUnnamedRunWithItsOldIds() throws Exception {
        List<SourceEvent> afterUpgrade = take(3, Optional.of("30"));
        assertThat(afterUpgrade).extracting(SourceEvent::id).containsExactly("31", "32", "33");
        assertThat(afterUpgrade.get(0).data()).contains(SyntheticEvents.eventId(31).toString());
    }

    @Test
    void twoFreshRunsGiveDifferentMetaIdsAndAResumeGoesOnWithItsRunsIds() throws Exception {
        List<SourceEvent> first = take(10, Optional.empty());
        List<SourceEvent> second = take(10, Optional.empty());
        assertThat(metaId(second.get(0).data())).as("a fresh run's first event").isNotEqualTo(metaId(first.get(0).data()));

        List<SourceEvent> resumed = take(5, Optional.of(first.get(4).id()));
        assertThat(resumed).extracting(SourceEvent::id).containsExactlyElementsOf(
                first.subList(5, 10).stream().map(SourceEvent::id).toList());
        assertThat(resumed).extracting(event -> metaId(event.data())).containsExactlyElementsOf(
                first.subList(5, 10).stream().map(event -> metaId(event.data())).toList());
    }

    @Test
    void aPositiveRateSpacesTheEvents() throws Exception {
        GeneratorStream stream = new GeneratorStream(100, Optional.empty());
        List<SourceEvent> events = new ArrayList<>();
        long started = System.nanoTime();
        stream.run(event -> {
            events.add(event);
            if (events.size() == 21) {
                stream.close();
            }
        });
        // 20 intervals at 100/s: at least about 200 ms (only the lower bound is reliable)
        assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(180);
    }

    private static String metaId(String json) {
        int at = json.indexOf("\"id\":\"");
        return json.substring(at + 6, json.indexOf('"', at + 6));
    }
}
