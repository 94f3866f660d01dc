package org.wikiedits;

import java.nio.file.Path;
import java.time.Clock;
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
import org.wikiedits.pipeline.FlushOnStop;
import org.wikiedits.pipeline.OrderedQueues;
import org.wikiedits.pipeline.PipelineStats;
import org.opensearch.client.RestClient;
import org.wikiedits.opensearch.OpenSearchRestClients;
import org.wikiedits.sink.index.IndexSink;
import org.wikiedits.sink.index.IndexTemplate;
import org.wikiedits.sink.index.PendingBatch;
import org.wikiedits.sink.lake.LakeFileSystem;
import org.wikiedits.sink.lake.LakeSink;
import org.wikiedits.sink.lake.LakeStorage;
import org.wikiedits.sink.lake.LakeWriter;
import org.wikiedits.sink.lake.LocalLakeStorage;
import org.wikiedits.source.HistoryGap;
import org.wikiedits.source.sse.SseConsumer;

/**
 * Binds the beans the YAML routes refer to ({@code #resumePosition}, {@code admitEvent}, {@code lakeRow},
 * {@code lakeCsv}, {@code searchDocument}, {@code lakeSink}, {@code indexSink}, ...), built from the {@code wikiedits.*} properties. Named in
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
        List<SinkHealth> sinks;
        Map<String, IntSupplier> queues = new LinkedHashMap<>();
        if (aws) {
            // aws mode: the Kinesis producer, and with camel delivery the S3 lake and the index (org.wikiedits.aws)
            sinks = AwsBeans.bind(context, tracker, deadLetters, dataDir);
        } else {
            // tests bind a "lakeFileSystem" to inject disk-full and rename faults
            LakeFileSystem fileSystem = Optional.ofNullable(context.getRegistry()
                    .lookupByNameAndType("lakeFileSystem", LakeFileSystem.class)).orElse(LakeFileSystem.DEFAULT);
            sinks = new ArrayList<>();
            if (configured.lake()) {
                LakeSink lakeSink = new LakeSink(lakeWriter(properties,
                        new LocalLakeStorage(dataDir.resolve("lake").resolve("wikiedits"), fileSystem), tracker));
                sinks.add(lakeSink);
                queues.put("lake", () -> queueDepth(context, "lake"));
                context.addService(lakeSink, true, true);
                context.getRegistry().bind("lakeSink", lakeSink);
            }
            if (configured.index()) {
                IndexSink indexSink = indexSink(context, "seda:index", tracker, deadLetters);
                sinks.add(indexSink);
                queues.put("index", () -> queueDepth(context, "index"));
                context.addService(indexSink, true, true);
                context.getRegistry().bind("indexSink", indexSink);
            }
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
        context.getRegistry().bind("deadLetters", deadLetters);
        context.getRegistry().bind("checkpoints", checkpoints);
        context.getRegistry().bind("resumePosition", new ResumePosition(tracker));
        context.getRegistry().bind("commitTracker", tracker);
        context.getRegistry().bind("admitEvent", new AdmitEvent(tracker, deadLetters, stats));
        context.getRegistry().bind("failedEvent", new FailedEvent(tracker, deadLetters, "source"));
        // the two transformations, as route steps, and the lake's CSV format for camel-csv
        context.getRegistry().bind("lakeRow", new LakeRowProcessor());
        context.getRegistry().bind("lakeCsv", new CsvDataFormat(CsvRow.FORMAT));
        context.getRegistry().bind("searchDocument", new SearchDocumentProcessor());
        DashboardBeans.bind(context, aws, dataDir);
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

    /**
     * The lake writer of local mode and of aws camel delivery (one construction for both), over
     * their storage, from {@code wikiedits.lake.*}; it reports to {@code tracker} as sink {@link LakeWriter#SINK}.
     */
    public static LakeWriter lakeWriter(PropertiesComponent properties, LakeStorage storage, CommitTracker tracker) {
        return new LakeWriter(storage, tracker, number(properties, "wikiedits.lake.roll-seconds"),
                number(properties, "wikiedits.lake.roll-bytes"), (int) number(properties, "wikiedits.lake.dedupe-partitions"),
                Clock.systemUTC());
    }

    /**
     * The index routes' bean of local mode and of aws camel delivery (one construction for both), for
     * {@code wikiedits.opensearch.url}/{@code .username}/{@code .password} and {@code wikiedits.index.*};
     * it reports to {@code tracker} as sink {@link IndexSink#SINK}. Also binds the REST client
     * ({@code opensearchRestClient}) that the {@code opensearch:} component is autowired with, and asks
     * for a last flush tick into {@code queue} when Camel stops ({@link FlushOnStop}).
     */
    public static IndexSink indexSink(CamelContext context, String queue, CommitTracker tracker, DeadLetterStore deadLetters) {
        PropertiesComponent properties = context.getPropertiesComponent();
        OpenSearchEndpoint endpoint = OpenSearchEndpoint.of(required(properties, OpenSearchEndpoint.URL_SETTING),
                optional(properties, OpenSearchEndpoint.USERNAME_SETTING), optional(properties, OpenSearchEndpoint.PASSWORD_SETTING));
        RestClient client = OpenSearchRestClients.shared(endpoint, context);
        context.getRegistry().bind("opensearchRestClient", RestClient.class, client);
        PendingBatch pending = new PendingBatch((int) number(properties, "wikiedits.index.batch-size"),
                Duration.ofMillis(number(properties, "wikiedits.index.linger-ms")), System::nanoTime);
        context.addLifecycleStrategy(new FlushOnStop(List.of(queue)));
        return new IndexSink(pending, new IndexTemplate(client, endpoint), tracker, deadLetters, endpoint, IndexSink.RETRY,
                () -> context.isStopping() || context.isStopped(), Clock.systemUTC());
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
        return properties.resolveProperty(key).map(String::trim).orElse("");
    }

    public static long number(PropertiesComponent properties, String key) {
        String value = required(properties, key);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not '" + value + "'");
        }
    }

    static String required(PropertiesComponent properties, String key) {
        String value = optional(properties, key);
        if (value.isEmpty()) {
            throw new IllegalArgumentException("No value for " + key + ": set it in application.properties, as -D"
                    + key + "=... or as the environment variable " + Settings.environmentName(key));
        }
        return value;
    }
}
