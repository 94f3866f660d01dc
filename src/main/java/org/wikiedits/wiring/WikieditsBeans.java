package org.wikiedits.wiring;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.Route;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.spi.PropertiesComponent;
import org.wikiedits.commit.AdmitEvent;
import org.wikiedits.commit.CheckpointStore;
import org.wikiedits.commit.CommitTracker;
import org.wikiedits.commit.DeadLetterStore;
import org.wikiedits.commit.ErrorsAsFailures;
import org.wikiedits.commit.FailedEvent;
import org.wikiedits.commit.OrderedQueues;
import org.wikiedits.commit.PipelineStats;
import org.wikiedits.commit.ResumePosition;
import org.wikiedits.commit.SinkHealth;
import org.apache.camel.dataformat.csv.CsvDataFormat;
import org.wikiedits.config.AwsDelivery;
import org.wikiedits.config.ConfiguredSinks;
import org.wikiedits.config.SettingValues;
import org.wikiedits.config.SinkRegistry;
import org.wikiedits.dashboard.DashboardBeans;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.wikiedits.detect.AlertIndex;
import org.wikiedits.detect.AlertWebhook;
import org.wikiedits.detect.DetectorBeans;
import org.wikiedits.detect.Detectors;
import org.wikiedits.ops.HttpEndpointsSummary;
import org.wikiedits.ops.OpsEndpoints;
import org.wikiedits.ops.PipelineMonitor;
import org.wikiedits.query.compaction.CompactionProcess;
import org.wikiedits.query.compaction.ParquetCompaction;
import org.wikiedits.sink.index.IndexSinkKind;
import org.wikiedits.sink.index.OpenSearchEndpoint;
import org.wikiedits.sink.index.SearchDocumentProcessor;
import org.wikiedits.sink.lake.LakeFileSystem;
import org.wikiedits.sink.lake.LakeRowProcessor;
import org.apache.camel.dataformat.csv.CsvDataFormat;
import org.wikiedits.sink.lake.LakeSink;
import org.wikiedits.sink.lake.LakeSinkKind;
import org.wikiedits.sink.lake.LakeStorage;
import org.wikiedits.sink.lake.LakeWriter;
import org.wikiedits.source.HistoryGap;
import org.wikiedits.source.sse.SseConsumer;
import org.wikiedits.transform.CsvRow;

/**
 * Binds the beans the YAML routes refer to ({@code #resumePosition}, {@code admitEvent}, {@code lakeRow},
 * {@code lakeCsv}, {@code searchDocument}, the configured sinks' beans ({@code lakeSink}, {@code indexSink},
 * through the {@link SinkRegistry}), ...), built from the {@code wikiedits.*} properties. Named in
 * {@code camel.main.configuration-classes}, so {@code java -jar} and Camel JBang both use it.
 */
public class WikieditsBeans implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent properties = context.getPropertiesComponent();
        Path dataDir = Path.of(required(properties, "wikiedits.data.dir"));
        String sourceUrl = required(properties, "wikiedits.source.url");

        PipelineStats stats = new PipelineStats();
        DeadLetterStore deadLetters = new DeadLetterStore(dataDir.resolve("dead-letter"));
        CheckpointStore checkpoints = new CheckpointStore(dataDir.resolve("state"), sourceUrl);
        boolean aws = "aws".equals(required(properties, "wikiedits.mode"));
        ConfiguredSinks configured = configuredSinks(properties, aws);
        CommitTracker tracker = new CommitTracker(checkpoints, aws ? AwsBeans.sourceSinks(properties) : configured.names());

        context.addLifecycleStrategy(new OrderedQueues());
        // an Error in a route step halts the commit tracker (FailedEvent) instead of killing a queue's consumer thread
        context.getCamelContextExtension().addInterceptStrategy(new ErrorsAsFailures());
        List<SinkHealth> sinks = new ArrayList<>();
        Map<String, IntSupplier> queues = new LinkedHashMap<>();
        // the sinks' factories look these up
        context.getRegistry().bind("deadLetters", deadLetters);
        context.getRegistry().bind("commitTracker", tracker);
        if (aws) {
            // aws mode: the Kinesis producer, and with camel delivery the S3 lake and the index (AwsBeans)
            sinks.addAll(AwsBeans.bind(context, tracker, deadLetters, dataDir));
        } else {
            // the configured sinks of the registry (docs/extending.md): each binds its beans; the publish
            // route fans out to their queues
            SinkRegistry registry = SinkRegistry.load();
            for (String name : configured.names()) {
                Object sink = registry.kind(name).bind(context);
                if (sink instanceof SinkHealth health) {
                    sinks.add(health);
                }
                queues.put(name, () -> queueDepth(context, name));
            }
            context.getRegistry().bind("configuredSinks", configured);
        }

        List<CommitTracker> trackers = new ArrayList<>(List.of(tracker));
        Optional.ofNullable(context.getRegistry().lookupByNameAndType("consumerTracker", CommitTracker.class)).ifPresent(trackers::add);
        PipelineMonitor monitor = new PipelineMonitor(stats, trackers, checkpoints, deadLetters, sinks, queues,
                sourceUrl.startsWith("http:") || sourceUrl.startsWith("https:"),
                Duration.ofSeconds(number(properties, "wikiedits.health.down-after-seconds")),
                () -> sourceConnectionProblem(context), () -> sourceHistoryGap(context));
        // the source's tracker times each event from its receipt to its acknowledgement by every sink
        tracker.onSettled(monitor::delivered);

        context.getRegistry().bind("pipelineStats", stats);
        context.getRegistry().bind("pipelineMonitor", monitor);
        context.getRegistry().bind("opsEndpoints", new OpsEndpoints(monitor));
        HttpEndpointsSummary.replaceCamelsSummary(context);
        context.getRegistry().bind("checkpoints", checkpoints);
        context.getRegistry().bind("resumePosition", new ResumePosition(tracker));
        context.getRegistry().bind("admitEvent", new AdmitEvent(tracker, deadLetters, stats));
        context.getRegistry().bind("failedEvent", new FailedEvent(tracker, deadLetters, "source"));
        // the two transformations, as route steps, and the lake's CSV format for camel-csv
        context.getRegistry().bind("lakeRow", new LakeRowProcessor());
        context.getRegistry().bind("lakeCsv", new CsvDataFormat(CsvRow.FORMAT));
        context.getRegistry().bind("searchDocument", new SearchDocumentProcessor());
        // the detectors and the alerts' outputs, after the sinks so that the alerts index shares the index's client
        detectorMetrics(DetectorBeans.bind(context), context, monitor.registry());
        DashboardBeans.bind(context, aws, dataDir);
        if (!aws) {
            // the scheduled compaction's step (routes/local/compact/, loaded when wikiedits.compact.schedule is on)
            context.getRegistry().bind("parquetCompaction", new CompactionProcess(dataDir,
                    ParquetCompaction.Limits.of(key -> optional(properties, key))));
        }
    }

    /** The detectors' counters on /metrics: what they saw, what their full queue dropped, the alerts and where they went. */
    private static void detectorMetrics(Detectors detectors, CamelContext context, MeterRegistry registry) {
        AlertWebhook webhook = context.getRegistry().lookupByNameAndType("alertWebhook", AlertWebhook.class);
        AlertIndex index = context.getRegistry().lookupByNameAndType("alertIndex", AlertIndex.class);
        FunctionCounter.builder("wikiedits_detector_events", detectors, Detectors::observedCount)
                .description("events the detectors counted").register(registry);
        FunctionCounter.builder("wikiedits_detector_dropped", detectors, Detectors::droppedCount)
                .description("events the detectors did not get: their queue was full (the sinks got them)").register(registry);
        FunctionCounter.builder("wikiedits_alerts", detectors, Detectors::alertCount)
                .description("alerts raised").register(registry);
        FunctionCounter.builder("wikiedits_alerts_index_failed", index, AlertIndex::failureCount)
                .description("alerts the alerts index refused (they are under <data>/alerts/)").register(registry);
        FunctionCounter.builder("wikiedits_alerts_webhook", webhook, AlertWebhook::sentCount).tag("outcome", "sent")
                .description("alerts by what the webhook did with them").register(registry);
        FunctionCounter.builder("wikiedits_alerts_webhook", webhook, AlertWebhook::suppressedCount).tag("outcome", "held-back")
                .description("alerts by what the webhook did with them").register(registry);
        FunctionCounter.builder("wikiedits_alerts_webhook", webhook, AlertWebhook::failedCount).tag("outcome", "failed")
                .description("alerts by what the webhook did with them").register(registry);
    }

    /** {@code wikiedits.sinks}, validated; aws mode takes its sinks from the delivery instead. */
    private static ConfiguredSinks configuredSinks(PropertiesComponent properties, boolean aws) {
        ConfiguredSinks sinks = ConfiguredSinks.parse(required(properties, ConfiguredSinks.KEY));
        if (aws && !(sinks.lake() && sinks.index())) {
            throw new IllegalArgumentException(ConfiguredSinks.KEY + " applies to local mode; in aws mode "
                    + AwsDelivery.KEY + " decides where events go (leave " + ConfiguredSinks.KEY + " at lake,index)");
        }
        return sinks;
    }

    /** The sse source's last connection failure; looked up when read, since a route (re)start makes a new consumer. */
    private static Optional<String> sourceConnectionProblem(CamelContext context) {
        return context.getRoutes().stream().map(Route::getConsumer).filter(SseConsumer.class::isInstance)
                .flatMap(consumer -> ((SseConsumer) consumer).connectionProblem().stream()).findFirst();
    }

    /** History the sse source could not resume; looked up when read, like the connection problem. */
    private static Optional<HistoryGap> sourceHistoryGap(CamelContext context) {
        return context.getRoutes().stream().map(Route::getConsumer).filter(SseConsumer.class::isInstance)
                .flatMap(consumer -> ((SseConsumer) consumer).historyGap().stream()).findFirst();
    }

    /** Events waiting in a seda queue; looked up when read, since Camel creates queues lazily. */
    private static int queueDepth(CamelContext context, String queue) {
        return context.hasEndpoint("seda://" + queue) instanceof SedaEndpoint seda ? seda.getCurrentQueueSize() : 0;
    }

    static SettingValues settings(PropertiesComponent properties) {
        return new SettingValues(key -> properties.resolveProperty(key).orElse(null));
    }

    static String optional(PropertiesComponent properties, String key) {
        return settings(properties).text(key);
    }

    static long number(PropertiesComponent properties, String key) {
        return settings(properties).number(key);
    }

    static String required(PropertiesComponent properties, String key) {
        return settings(properties).required(key);
    }
}
