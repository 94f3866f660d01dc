package org.wikiedits.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.commit.CheckpointStore;
import org.wikiedits.commit.CommitTracker;
import org.wikiedits.commit.DeadLetterStore;
import org.wikiedits.commit.PipelineStats;
import org.wikiedits.commit.SeqRuns;
import org.wikiedits.commit.SinkHealth;
import org.wikiedits.source.HistoryGap;
import org.wikiedits.testing.MutableClock;

class PipelineMonitorTest {

    @TempDir
    Path data;

    private final PipelineStats stats = new PipelineStats();
    private String sinkProblem;
    private String sourceProblem;

    private final SinkHealth sink = new SinkHealth() {
        @Override
        public String sinkName() {
            return "lake";
        }

        @Override
        public long delivered() {
            return 42;
        }

        @Override
        public Optional<String> problem() {
            return Optional.ofNullable(sinkProblem);
        }
    };

    private CommitTracker tracker;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T06:00:00Z"));
    private DeadLetterStore deadLetters;

    private PipelineMonitor monitor(boolean liveSource) {
        return monitor(liveSource, Duration.ofMinutes(5));
    }

    private HistoryGap historyGap;

    private PipelineMonitor monitor(boolean liveSource, Duration downAfter) {
        CheckpointStore checkpoints = new CheckpointStore(data, "test");
        tracker = new CommitTracker(checkpoints, List.of("lake"), clock);
        deadLetters = new DeadLetterStore(data.resolve("dead-letter"), clock);
        return new PipelineMonitor(stats, List.of(tracker), checkpoints, deadLetters, List.of(sink), Map.of("lake", () -> 7), liveSource, downAfter,
                () -> Optional.ofNullable(sourceProblem), () -> Optional.ofNullable(historyGap));
    }

    @Test
    void historyTheSourceCouldNotResumeIsDegradedForAnHourAndAMetricThatStays() {
        PipelineMonitor monitor = monitor(false);
        assertThat(monitor.scrape()).contains("wikiedits_source_history_gap_seconds 0.0");
        Instant now = Instant.now();
        historyGap = new HistoryGap(now.minus(Duration.ofDays(8)), now.minus(Duration.ofDays(7)), now,
                "resuming from ..., the events up to ... are probably lost");
        HealthReport report = monitor.health();
        assertThat(report.status()).isEqualTo(HealthReport.Status.DEGRADED);
        assertThat(report.reasons()).containsExactly("source: resuming from ..., the events up to ... are probably lost");
        assertThat(monitor.scrape()).contains("wikiedits_source_history_gap_seconds 86400.0");

        historyGap = new HistoryGap(now.minus(Duration.ofDays(8)), now.minus(Duration.ofDays(7)),
                now.minus(HistoryGap.REPORTED_FOR).minusSeconds(1), "an hour ago");
        assertThat(monitor.health().status()).as("reported for an hour").isEqualTo(HealthReport.Status.UP);
        assertThat(monitor.scrape()).as("the metric keeps it").contains("wikiedits_source_history_gap_seconds 86400.0");
    }

    @Test
    void aSinkThatKeepsFailingTurnsTheHealthFromDegradedToDownWithTheReason() throws InterruptedException {
        PipelineMonitor monitor = monitor(false, Duration.ofMillis(300));
        sinkProblem = "cannot write to /lake: No space left on device";
        assertThat(monitor.health().status()).isEqualTo(HealthReport.Status.DEGRADED);
        Thread.sleep(400);
        HealthReport report = monitor.health();
        assertThat(report.status()).isEqualTo(HealthReport.Status.DOWN);
        assertThat(report.reasons()).singleElement().asString().contains("lake: cannot write to /lake: No space left on device");

        sinkProblem = null;
        assertThat(monitor.health().status()).isEqualTo(HealthReport.Status.UP);
        sinkProblem = "cannot write again";
        assertThat(monitor.health().status()).as("a new problem starts the clock anew").isEqualTo(HealthReport.Status.DEGRADED);
    }

    @Test
    void moreThanFiftyDeadLettersInAMinuteMakeThePipelineDegradedWithTheLatestReasonUntilTheRunPasses() {
        PipelineMonitor monitor = monitor(false);
        for (int i = 1; i <= 50; i++) {
            deadLetters.write("index", "mapper_parsing_exception: failed to parse field [log_type] of type [long]", "{}", "id-" + i);
            clock.advance(Duration.ofMillis(500));
        }
        assertThat(monitor.health().status()).as("50 in a minute are not yet a burst").isEqualTo(HealthReport.Status.UP);

        deadLetters.write("index", "mapper_parsing_exception: failed to parse field [log_type] of type [long]", "{}", "id-51");

        HealthReport report = monitor.health();
        assertThat(report.status()).isEqualTo(HealthReport.Status.DEGRADED);
        assertThat(report.reasons()).singleElement().asString().startsWith("dead letters: 51 in the last minute")
                .contains("the latest index: mapper_parsing_exception: failed to parse field [log_type]").contains("dead-letter/")
                .contains("then replay-dead-letters");
        clock.advance(Duration.ofSeconds(61));
        assertThat(monitor.health().status()).as("a minute later the run is over").isEqualTo(HealthReport.Status.UP);
    }

    @Test
    void aBurstOfUnreadableSourceLinesSaysSoAndDoesNotBlameTheIndex() {
        PipelineMonitor monitor = monitor(false);
        for (int i = 1; i <= 51; i++) {
            deadLetters.write("source", "not valid JSON: Unrecognized token 'not'", "not json", null);
        }

        assertThat(monitor.health().reasons()).singleElement().asString().contains("the latest source: not valid JSON")
                .contains("the source sends lines the app cannot read").doesNotContain("mapping");
    }

    @Test
    void deadLettersSpreadOverMinutesAreNoBurst() {
        PipelineMonitor monitor = monitor(false);
        for (int i = 1; i <= 120; i++) {
            deadLetters.write("source", "MalformedEventException: not JSON", "{", null);
            clock.advance(Duration.ofSeconds(2));
        }
        assertThat(monitor.health().status()).isEqualTo(HealthReport.Status.UP);
    }

    @Test
    void aHaltedCommitTrackerMakesThePipelineDown() {
        PipelineMonitor monitor = monitor(false);
        tracker.halt(3, "event #3 failed and cannot be stored as a dead letter");
        HealthReport report = monitor.health();
        assertThat(report.status()).isEqualTo(HealthReport.Status.DOWN);
        assertThat(report.httpStatus()).isEqualTo(503);
        assertThat(report.reasons()).singleElement().asString().contains("event #3 failed");
    }

    @Test
    void aHealthyPipelineIsUp() {
        stats.received();
        stats.accepted(Instant.now());
        HealthReport report = monitor(true).health();
        assertThat(report.status()).isEqualTo(HealthReport.Status.UP);
        assertThat(report.httpStatus()).isEqualTo(200);
    }

    @Test
    void aRetryingSinkMakesThePipelineDegradedWithTheReason() {
        stats.received();
        sinkProblem = "cannot write to /lake: disk full";
        HealthReport report = monitor(true).health();
        assertThat(report.status()).isEqualTo(HealthReport.Status.DEGRADED);
        assertThat(report.reasons()).containsExactly("lake: cannot write to /lake: disk full");
    }

    @Test
    void aLiveSourceThatNeverDeliveredIsReported() {
        assertThat(monitor(true).health().reasons()).containsExactly("source: not connected yet");
        assertThat(monitor(false).health().status()).isEqualTo(HealthReport.Status.UP);
    }

    @Test
    void aLiveSourceWhoseAttemptsFailedNamesTheLastErrorInsteadOfNotConnectedYet() {
        sourceProblem = "cannot reach https://stream.example.org/v2/stream/recentchange (ConnectException: connection refused)";
        HealthReport report = monitor(true).health();
        assertThat(report.status()).isEqualTo(HealthReport.Status.DEGRADED);
        assertThat(report.reasons()).containsExactly("source: " + sourceProblem);
    }

    @Test
    void aLagOfDaysReadsAsDaysAndHoursInHealthAndTheProgressLine() {
        stats.received();
        stats.accepted(Instant.now().minus(Duration.ofDays(74).plusHours(3).plusMinutes(10)));
        PipelineMonitor monitor = monitor(true);
        assertThat(monitor.health().reasons()).containsExactly("lag: 74d 3h behind the stream");
        assertThat(monitor.progressLine()).contains(", lag 74d 3h,").doesNotContainPattern("lag \\d{4,}");
        assertThat(monitor.snapshot().lag()).as("the dashboard's").isEqualTo("74d 3h");
    }

    @Test
    void metricsExposeCountersGaugesAndTheLatencyHistogram() {
        stats.received();
        PipelineMonitor monitor = monitor(true);
        monitor.delivered(Duration.ofMillis(1500));
        System.gc(); // gauges must not lose their functions to the garbage collector
        String metrics = monitor.scrape();
        assertThat(metrics)
                .contains("wikiedits_events_received_total 1.0")
                .contains("wikiedits_sink_delivered_total{sink=\"lake\"} 42.0")
                .contains("wikiedits_queue_depth{queue=\"lake\"} 7.0")
                .contains("wikiedits_end_to_end_latency_seconds_count 1")
                .contains("wikiedits_end_to_end_latency_seconds_bucket")
                .contains("wikiedits_lag_seconds")
                .contains("wikiedits_checkpoint_age_seconds");
    }

    @Test
    void theLatencyIsFromReceiptToEverySinkForEventsYearsOldAndTheEventTimeLagIsItsOwnFigure() {
        PipelineMonitor monitor = monitor(false);
        tracker.onSettled(monitor::delivered);
        Instant yearsOld = Instant.now().minus(Duration.ofDays(3058).plusHours(19).plusMinutes(1));
        int events = 5000;
        SeqRuns written = new SeqRuns();
        for (int i = 0; i < events; i++) {
            stats.received();
            stats.accepted(yearsOld);
            written.add(tracker.admit("id-" + i));
        }
        long canary = tracker.admit("canary");
        tracker.skipped(canary); // delivered nowhere: not timed
        clock.advance(Duration.ofMillis(1500));
        tracker.handled("lake", written);

        String metrics = monitor.scrape();
        assertThat(metrics).contains("wikiedits_end_to_end_latency_seconds_count " + events)
                .contains("# HELP wikiedits_end_to_end_latency_seconds from the source's receipt of an event to its"
                        + " acknowledgement by every sink");
        String sum = metrics.lines().filter(line -> line.startsWith("wikiedits_end_to_end_latency_seconds_sum "))
                .findFirst().orElseThrow();
        assertThat(Double.parseDouble(sum.substring(sum.indexOf(' ') + 1))).as(sum).isEqualTo(events * 1.5);
        PipelineMonitor.Snapshot snapshot = monitor.snapshot();
        assertThat(snapshot.latencyMeanSeconds()).isEqualTo(1.5);
        assertThat(snapshot.latencyMean()).isEqualTo("1.5s");
        assertThat(snapshot.latencyMax()).isEqualTo("1.5s");
        assertThat(snapshot.lag()).as("how old the newest event is").isEqualTo("3058d 19h");
        assertThat(snapshot.lagSeconds()).isGreaterThan(3058 * 86_400.0);
    }

    @Test
    void theProgressLineNamesEverySinkAndQueue() {
        stats.received();
        assertThat(monitor(true).progressLine())
                .startsWith("events 1 (")
                .contains("lake 42")
                .contains("queue lake 7")
                .contains("checkpoint not yet saved");
    }
}
