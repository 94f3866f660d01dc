package org.wikiedits.ops;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikiedits.commit.CheckpointStore;
import org.wikiedits.commit.CommitTracker;
import org.wikiedits.commit.DeadLetterStore;
import org.wikiedits.commit.PipelineStats;
import org.wikiedits.commit.SinkHealth;
import org.wikiedits.config.HumanDuration;
import org.wikiedits.config.ProcessMemory;
import org.wikiedits.source.HistoryGap;

/**
 * Watches the running pipeline: the health verdict for {@code /health}, the Prometheus metrics
 * for {@code /metrics}, and the progress line logged every few seconds.
 */
public final class PipelineMonitor {

    private static final Logger LOG = LoggerFactory.getLogger("wikiedits.progress");
    /** No event for this long from a live source means the source is disconnected or stalled. */
    static final Duration SOURCE_SILENCE = Duration.ofSeconds(60);
    /** Lag beyond this is reported as DEGRADED (the live stream delivers within seconds). */
    static final Duration MAX_LAG = Duration.ofMinutes(10);
    /** More dead letters than this in a minute are a burst (DEGRADED): something refuses whole classes of events. */
    static final int DEAD_LETTER_BURST = 50;
    /** The longest dead-letter reason quoted in a health reason. */
    private static final int QUOTED_REASON = 200;

    private final PipelineStats stats;
    private final CommitTracker tracker;
    private final List<CommitTracker> trackers;
    private final Duration downAfter;
    /** When the monitor first saw each sink's current problem (health and progress look every few seconds). */
    private final Map<String, Instant> problemSince = new ConcurrentHashMap<>();
    private final CheckpointStore checkpoints;
    private final DeadLetterStore deadLetters;
    private final List<SinkHealth> sinks;
    private final boolean liveSource;
    /** The live source's last connection failure while it has not connected since. */
    private final Supplier<Optional<String>> sourceProblem;
    /** History the live source could not resume (a position older than the stream keeps). */
    private final Supplier<Optional<HistoryGap>> historyGap;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Timer endToEnd;
    private long lastProgressReceived;
    private long lastProgressNanos = System.nanoTime();

    /** A monitor that learns nothing about the source's connection attempts. */
    public PipelineMonitor(PipelineStats stats, List<CommitTracker> trackers, CheckpointStore checkpoints,
                           DeadLetterStore deadLetters, List<SinkHealth> sinks,
                           Map<String, IntSupplier> queueDepths, boolean liveSource, Duration downAfter) {
        this(stats, trackers, checkpoints, deadLetters, sinks, queueDepths, liveSource, downAfter, Optional::empty);
    }

    /** The registry of {@code /metrics}, for the metrics of parts beside the pipeline (the detectors). */
    public MeterRegistry registry() {
        return registry;
    }

    /** A monitor that learns nothing about history the source could not resume. */
    public PipelineMonitor(PipelineStats stats, List<CommitTracker> trackers, CheckpointStore checkpoints,
                           DeadLetterStore deadLetters, List<SinkHealth> sinks,
                           Map<String, IntSupplier> queueDepths, boolean liveSource, Duration downAfter,
                           Supplier<Optional<String>> sourceProblem) {
        this(stats, trackers, checkpoints, deadLetters, sinks, queueDepths, liveSource, downAfter, sourceProblem,
                Optional::empty);
    }

    /**
     * @param trackers the source's commit tracker first, then any other (aws camel delivery's consumer)
     * @param downAfter how long a sink may fail before the pipeline counts as DOWN rather than DEGRADED
     * @param sourceProblem why the live source's last connection attempt failed, while it has not connected since
     * @param historyGap history the live source could not resume: DEGRADED for {@link HistoryGap#REPORTED_FOR}
     */
    public PipelineMonitor(PipelineStats stats, List<CommitTracker> trackers, CheckpointStore checkpoints,
                           DeadLetterStore deadLetters, List<SinkHealth> sinks,
                           Map<String, IntSupplier> queueDepths, boolean liveSource, Duration downAfter,
                           Supplier<Optional<String>> sourceProblem, Supplier<Optional<HistoryGap>> historyGap) {
        this.sourceProblem = sourceProblem;
        this.historyGap = historyGap;
        this.stats = stats;
        this.tracker = trackers.get(0);
        this.trackers = List.copyOf(trackers);
        this.downAfter = downAfter;
        this.checkpoints = checkpoints;
        this.deadLetters = deadLetters;
        this.sinks = List.copyOf(sinks);
        this.liveSource = liveSource;
        FunctionCounter.builder("wikiedits_events_received", stats, PipelineStats::receivedCount)
                .description("events delivered by the source").register(registry);
        FunctionCounter.builder("wikiedits_events_accepted", stats, PipelineStats::acceptedCount)
                .description("events passed on to the sinks").register(registry);
        FunctionCounter.builder("wikiedits_events_canary", stats, PipelineStats::canaryCount)
                .description("canary events dropped").register(registry);
        FunctionCounter.builder("wikiedits_dead_letters", deadLetters, DeadLetterStore::count)
                .description("events written to the dead-letter store").register(registry);
        for (SinkHealth sink : this.sinks) {
            FunctionCounter.builder("wikiedits_sink_delivered", sink, SinkHealth::delivered)
                    .tag("sink", sink.sinkName()).description("events made durable by the sink").register(registry);
        }
        // Supplier gauges hold their function strongly; a state-object gauge would hold it weakly and read NaN once collected
        queueDepths.forEach((name, depth) -> Gauge.builder("wikiedits_queue_depth", depth::getAsInt)
                .tag("queue", name).description("events waiting in the in-process queue").register(registry));
        Gauge.builder("wikiedits_lag_seconds", this, m -> m.lag().toMillis() / 1000.0)
                .description("how far the newest event seen is behind the wall clock").register(registry);
        Gauge.builder("wikiedits_source_history_gap_seconds", () -> historyGap.get()
                        .map(gap -> gap.length().toMillis() / 1000.0).orElse(0.0))
                .description("history the source could not resume at its last start or reconnect (the stream keeps about"
                        + " 7 days): seconds of events lost or probably lost, 0 when none").register(registry);
        Gauge.builder("wikiedits_checkpoint_age_seconds", this, m -> m.checkpointAge().toMillis() / 1000.0)
                .description("time since the checkpoint was last saved (-1 before the first)").register(registry);
        Gauge.builder("wikiedits_uncommitted_events", tracker, CommitTracker::uncommitted)
                .description("events read but not yet behind the checkpoint").register(registry);
        Gauge.builder("wikiedits_process_resident_bytes", () -> ProcessMemory.residentBytes())
                .description("resident set size of the process (VmRSS)").register(registry);
        // from receipt, not from meta.dt: a replay of old events has no latency of years (and the
        // nanosecond sum no overflow); how old the events are is wikiedits_lag_seconds
        endToEnd = Timer.builder("wikiedits_end_to_end_latency")
                .description("from the source's receipt of an event to its acknowledgement by every sink the checkpoint"
                        + " waits for (in aws mode the stream's: Kinesis or Firehose)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10)).maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
    }

    /** Records the end-to-end latency of an event every sink has just acknowledged: the time since its receipt. */
    public void delivered(Duration sinceReceipt) {
        endToEnd.record(sinceReceipt);
    }

    public HealthReport health() {
        List<String> down = new ArrayList<>();
        List<String> degraded = new ArrayList<>();
        for (CommitTracker each : trackers) {
            each.halted().ifPresent(reason -> down.add("pipeline stopped: " + reason));
            each.saveProblem().ifPresent(degraded::add);
        }
        Instant now = Instant.now();
        for (SinkHealth sink : sinks) {
            Optional<String> problem = observeProblem(sink, now);
            if (problem.isPresent()) {
                Duration failing = Duration.between(problemSince.getOrDefault(sink.sinkName(), now), now);
                String reason = sink.sinkName() + ": " + problem.get();
                if (failing.compareTo(downAfter) >= 0) {
                    down.add(reason + " (for " + HumanDuration.format(failing) + "; the source is held back until it recovers)");
                } else {
                    degraded.add(reason);
                }
            }
        }
        long recentDeadLetters = deadLetters.inLastMinute();
        if (recentDeadLetters > DEAD_LETTER_BURST) {
            degraded.add(deadLetterBurst(recentDeadLetters));
        }
        Instant lastReceived = stats.lastReceivedAt();
        Duration silence = lastReceived == null ? Duration.ZERO : Duration.between(lastReceived, now);
        if (liveSource && silence.compareTo(SOURCE_SILENCE) > 0) {
            degraded.add("source: no event for " + HumanDuration.format(silence)
                    + sourceProblem.get().map(problem -> " (" + problem + ")").orElse(""));
        }
        if (liveSource && lastReceived == null) {
            degraded.add("source: " + sourceProblem.get().orElse("not connected yet"));
        }
        historyGap.get().filter(gap -> gap.reportedAt(now)).ifPresent(gap -> degraded.add("source: " + gap.what()));
        if (liveSource && lag().compareTo(MAX_LAG) > 0) {
            degraded.add("lag: " + HumanDuration.format(lag()) + " behind the stream");
        }
        if (down.isEmpty() && degraded.isEmpty()) {
            return new HealthReport(HealthReport.Status.UP, List.of());
        }
        return down.isEmpty() ? new HealthReport(HealthReport.Status.DEGRADED, degraded)
                : new HealthReport(HealthReport.Status.DOWN, down);
    }

    private String deadLetterBurst(long recent) {
        String latest = String.valueOf(deadLetters.latest());
        if (latest.length() > QUOTED_REASON) {
            latest = latest.substring(0, QUOTED_REASON) + "...";
        }
        return "dead letters: " + recent + " in the last minute (a burst: more than " + DEAD_LETTER_BURST + "), the latest "
                + latest + "; events go to the dead-letter store (dead-letter/*.ndjson in the data folder, each with its"
                + " original text and reason) instead of " + (latest.startsWith("source") ? "any sink: the source sends"
                + " lines the app cannot read" : "a sink: fix the cause (e.g. an index mapping changed under the app),"
                + " then replay-dead-letters");
    }

    /**
     * The pipeline at a glance for the dashboard: health, counts, the event-time lag (how far the newest event
     * is behind the clock) and the end-to-end latency (receipt to every sink), each also as people read it.
     */
    public record Snapshot(String status, List<String> reasons, long received, long deadLetters,
                           Map<String, Long> delivered, double lagSeconds, String lag, double latencyMeanSeconds,
                           double latencyMaxSeconds, String latencyMean, String latencyMax) {
    }

    public Snapshot snapshot() {
        HealthReport health = health();
        Map<String, Long> delivered = new java.util.LinkedHashMap<>();
        sinks.forEach(sink -> delivered.put(sink.sinkName(), sink.delivered()));
        Duration mean = Duration.ofNanos((long) endToEnd.mean(TimeUnit.NANOSECONDS));
        Duration max = Duration.ofNanos((long) endToEnd.max(TimeUnit.NANOSECONDS));
        return new Snapshot(health.status().name(), PublicText.withoutLocations(health.reasons()), stats.receivedCount(), deadLetters.count(),
                delivered, lag().toMillis() / 1000.0, HumanDuration.format(lag()), mean.toMillis() / 1000.0,
                max.toMillis() / 1000.0, HumanDuration.format(mean), HumanDuration.format(max));
    }

    /** A DOWN report with the reason, for when Camel itself is not running. */
    public static HealthReport down(String reason) {
        return new HealthReport(HealthReport.Status.DOWN, List.of(reason));
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        return registry.scrape();
    }

    /** One line of progress: rates, sinks, queue, lag, checkpoint age. */
    public synchronized String progressLine() {
        long received = stats.receivedCount();
        long now = System.nanoTime();
        double seconds = Math.max(1e-3, (now - lastProgressNanos) / 1e9);
        double rate = (received - lastProgressReceived) / seconds;
        lastProgressReceived = received;
        lastProgressNanos = now;
        StringBuilder line = new StringBuilder();
        line.append(String.format("events %d (%.1f/s), canaries %d, dead letters %d", received, rate,
                stats.canaryCount(), deadLetters.count()));
        for (SinkHealth sink : sinks) {
            line.append(", ").append(sink.sinkName()).append(' ').append(sink.delivered());
            observeProblem(sink, Instant.now()).ifPresent(problem -> line.append(" (").append(problem).append(')'));
        }
        registry.find("wikiedits_queue_depth").gauges().forEach(g ->
                line.append(", queue ").append(g.getId().getTag("queue")).append(' ').append((long) g.value()));
        line.append(String.format(", lag %s, uncommitted %d, checkpoint %s", HumanDuration.format(lag()),
                tracker.uncommitted(), checkpoints.savedAt() == null ? "not yet saved"
                        : HumanDuration.format(checkpointAge()) + " ago"));
        return line.toString();
    }

    /** The sink's problem, noting when it began (a cleared problem starts the clock anew). */
    private Optional<String> observeProblem(SinkHealth sink, Instant now) {
        Optional<String> problem = sink.problem();
        if (problem.isPresent()) {
            problemSince.putIfAbsent(sink.sinkName(), now);
        } else {
            problemSince.remove(sink.sinkName());
        }
        return problem;
    }

    public void logProgress() {
        LOG.info(progressLine());
    }

    Duration lag() {
        Instant newest = stats.lastEventTime();
        return newest == null ? Duration.ZERO : Duration.between(newest, Instant.now());
    }

    Duration checkpointAge() {
        Instant saved = checkpoints.savedAt();
        return saved == null ? Duration.ofMillis(-1000) : Duration.between(saved, Instant.now());
    }
}
