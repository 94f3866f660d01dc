package org.wikiedits;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.apache.camel.CamelConfiguration;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.spi.PropertiesComponent;
import org.wikiedits.aws.AwsBeans;
import org.wikiedits.checkpoint.CheckpointStore;
import org.wikiedits.checkpoint.CommitTracker;
import org.wikiedits.deadletter.DeadLetterStore;
import org.wikiedits.ops.OpsEndpoints;
import org.wikiedits.ops.PipelineMonitor;
import org.wikiedits.ops.SinkHealth;
import org.wikiedits.pipeline.AdmitEvent;
import org.wikiedits.pipeline.PipelineStats;
import org.wikiedits.sink.lake.LakeSink;
import org.wikiedits.sink.lake.LakeWriter;
import org.wikiedits.sink.lake.LocalLakeStorage;

/**
 * Binds the beans the YAML routes refer to ({@code #checkpoints}, {@code admitEvent},
 * {@code lakeSink}, ...), built from the {@code wikiedits.*} properties. Named in
 * {@code camel.main.configuration-classes}, so {@code java -jar} and Camel JBang both use it.
 */
public class WikieditsBeans implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent properties = context.getPropertiesComponent();
        Path dataDir = Path.of(required(properties, "wikiedits.data.dir"));

        PipelineStats stats = new PipelineStats();
        DeadLetterStore deadLetters = new DeadLetterStore(dataDir.resolve("dead-letter"));
        CheckpointStore checkpoints = new CheckpointStore(dataDir.resolve("state"), required(properties, "wikiedits.source.url"));
        boolean aws = "aws".equals(required(properties, "wikiedits.mode"));
        CommitTracker tracker = new CommitTracker(checkpoints, aws ? AwsBeans.sourceSinks(properties) : List.of(LakeWriter.SINK));

        LakeWriter lakeWriter = new LakeWriter(
                new LocalLakeStorage(dataDir.resolve("lake").resolve("wikiedits")), tracker,
                Long.parseLong(required(properties, "wikiedits.lake.roll-seconds")),
                Long.parseLong(required(properties, "wikiedits.lake.roll-bytes")),
                Integer.parseInt(required(properties, "wikiedits.lake.dedupe-partitions")),
                Clock.systemUTC());
        LakeSink lakeSink = new LakeSink(lakeWriter);
        context.addService(lakeSink, true, true);

        String sourceUrl = required(properties, "wikiedits.source.url");
        List<SinkHealth> sinks = aws ? AwsBeans.bind(context, tracker, deadLetters, dataDir) : List.of(lakeSink);
        PipelineMonitor monitor = new PipelineMonitor(stats, tracker, checkpoints, deadLetters, sinks,
                Map.of("lake", () -> queueDepth(context, "lake")),
                sourceUrl.startsWith("http:") || sourceUrl.startsWith("https:"));

        context.getRegistry().bind("pipelineMonitor", monitor);
        context.getRegistry().bind("opsEndpoints", new OpsEndpoints(monitor));
        context.getRegistry().bind("pipelineStats", stats);
        context.getRegistry().bind("deadLetters", deadLetters);
        context.getRegistry().bind("checkpoints", checkpoints);
        context.getRegistry().bind("commitTracker", tracker);
        context.getRegistry().bind("admitEvent", new AdmitEvent(tracker, deadLetters, stats));
        context.getRegistry().bind("lakeSink", lakeSink);
    }

    /** Events waiting in a seda queue; looked up when read, since Camel creates queues lazily. */
    private static int queueDepth(CamelContext context, String queue) {
        return context.hasEndpoint("seda://" + queue) instanceof SedaEndpoint seda ? seda.getCurrentQueueSize() : 0;
    }

    static String required(PropertiesComponent properties, String key) {
        String value = properties.resolveProperty(key).map(String::trim).orElse("");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("No value for " + key + ": set it in application.properties, as -D"
                    + key + "=... or as the environment variable " + Settings.environmentName(key));
        }
        return value;
    }
}
