package org.wikiedits;

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
import org.wikiedits.aws.AwsBeans;
import org.wikiedits.checkpoint.CheckpointStore;
import org.wikiedits.checkpoint.CommitTracker;
import org.wikiedits.checkpoint.ResumePosition;
import org.wikiedits.dashboard.DashboardBeans;
import org.wikiedits.deadletter.DeadLetterStore;
import org.wikiedits.opensearch.OpenSearchClient;
import org.wikiedits.opensearch.OpenSearchEndpoint;
import org.wikiedits.ops.HttpEndpointsSummary;
import org.wikiedits.ops.OpsEndpoints;
import org.wikiedits.ops.PipelineMonitor;
import org.wikiedits.ops.SinkHealth;
import org.apache.camel.dataformat.csv.CsvDataFormat;
import org.wikiedits.aws.AwsDelivery;
import org.wikiedits.pipeline.AdmitEvent;
import org.wikiedits.pipeline.ConfiguredSinks;
import org.wikiedits.pipeline.ErrorsAsFailures;
import org.wikiedits.pipeline.LakeRowProcessor;
import org.wikiedits.pipeline.SearchDocumentProcessor;
import org.wikiedits.transform.CsvRow;
import org.wikiedits.pipeline.FailedEvent;
import org.wikiedits.pipeline.OrderedQueues;
import org.wikiedits.pipeline.PipelineStats;
import org.wikiedits.config.CamelSettings;
import org.wikiedits.config.SinkRegistry;
import org.wikiedits.sink.index.IndexSink;
import org.wikiedits.sink.index.IndexSinkKind;
import org.wikiedits.sink.lake.LakeSinkKind;
import org.wikiedits.sink.lake.LakeStorage;
import org.wikiedits.sink.lake.LakeWriter;
import org.wikiedits.source.HistoryGap;
import org.wikiedits.source.sse.SseConsumer;

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
            // aws mode: the Kinesis producer, and with camel delivery the S3 lake and the index (org.wikiedits.aws)
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
        // the index is the last sink of both local mode and aws camel delivery: its acknowledgements time the pipeline
        sinks.stream().filter(IndexSink.class::isInstance)
                .forEach(sink -> ((IndexSink) sink).onDelivered(monitor::delivered));

        context.getRegistry().bind("pipelineStats", stats);
        context.getRegistry().bind("pipelineMonitor", monitor);
        context.getRegistry().bind("opsEndpoints", new OpsEndpoints(monitor));
        context.addStartupListener(new HttpEndpointsSummary());
        context.getRegistry().bind("checkpoints", checkpoints);
        context.getRegistry().bind("resumePosition", new ResumePosition(tracker));
        context.getRegistry().bind("admitEvent", new AdmitEvent(tracker, deadLetters, stats));
        context.getRegistry().bind("failedEvent", new FailedEvent(tracker, deadLetters, "source"));
        // the two transformations, as route steps, and the lake's CSV format for camel-csv
        context.getRegistry().bind("lakeRow", new LakeRowProcessor());
        context.getRegistry().bind("lakeCsv", new CsvDataFormat(CsvRow.FORMAT));
        context.getRegistry().bind("searchDocument", new SearchDocumentProcessor());
        String indexUrl = optional(properties, OpenSearchEndpoint.URL_SETTING);
        DashboardBeans.bind(context, aws, dataDir, indexUrl.isEmpty() ? Optional.empty() : Optional.of(openSearchClient(properties)));
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

    /** The lake writer of local mode and of aws camel delivery: {@link LakeSinkKind#writer}. */
    public static LakeWriter lakeWriter(PropertiesComponent properties, LakeStorage storage, CommitTracker tracker) {
        return LakeSinkKind.writer(properties, storage, tracker);
    }

    /** The index routes' bean of local mode and of aws camel delivery: {@link IndexSinkKind#indexSink}. */
    public static IndexSink indexSink(CamelContext context, String queue, CommitTracker tracker, DeadLetterStore deadLetters) {
        return IndexSinkKind.indexSink(context, queue, tracker, deadLetters);
    }

    /** The client of {@code wikiedits.opensearch.url} (with {@code .username}/{@code .password}) for the dashboard's live panels. */
    static OpenSearchClient openSearchClient(PropertiesComponent properties) {
        return new OpenSearchClient(OpenSearchEndpoint.of(
                required(properties, OpenSearchEndpoint.URL_SETTING),
                optional(properties, OpenSearchEndpoint.USERNAME_SETTING),
                optional(properties, OpenSearchEndpoint.PASSWORD_SETTING)));
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

    static String optional(PropertiesComponent properties, String key) {
        return CamelSettings.optional(properties, key);
    }

    public static long number(PropertiesComponent properties, String key) {
        return CamelSettings.number(properties, key);
    }

    static String required(PropertiesComponent properties, String key) {
        return CamelSettings.required(properties, key);
    }
}
