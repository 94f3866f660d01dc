package org.wikiedits.sink.firehose;

import org.wikiedits.commit.CommitTracker;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikiedits.commit.DeadLetterStore;
import org.wikiedits.commit.FlushOnStop;
import org.wikiedits.commit.SinkHealth;
import org.wikiedits.config.BatchLimits;
import org.wikiedits.config.Regions;
import org.wikiedits.delivery.Backoff;
import org.wikiedits.delivery.BatchDelivery;
import org.wikiedits.delivery.BatchedStream;
import org.wikiedits.delivery.CamelServices;
import org.wikiedits.delivery.ClosingService;
import org.wikiedits.delivery.RecordBatcher;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.FirehoseClientBuilder;

/**
 * The beans of {@code wikiedits.aws.delivery=firehose-direct}, which
 * {@code routes/aws/firehose-direct/publish.camel.yaml} refers to:
 * <ul>
 *   <li>{@code firehoseClient}: the {@link FirehoseClient} (region from {@code wikiedits.aws.region},
 *       else the AWS chain, else us-east-1; credentials from the default AWS chain; endpoint override
 *       {@code wikiedits.firehose.endpoint}); the aws2-kinesis-firehose component is autowired with it;</li>
 *   <li>per delivery stream ({@code firehose-lake...}, {@code firehose-index...}; earlier names
 *       {@code firehoseLake...}, {@code firehoseIndex...} stay bound): {@code Batches}
 *       ({@link org.wikiedits.delivery.EventBatches}: one record per event, its original JSON bytes, in PutRecordBatch
 *       batches) and {@code Delivery} ({@link BatchDelivery} over {@link PutRecordBatchCall}), known
 *       to the commit tracker as {@value #LAKE_SINK} and {@value #INDEX_SINK}.</li>
 * </ul>
 * The route sends each batch with {@code aws2-kinesis-firehose:<stream>?operation=sendBatchRecord}.
 */
public final class FirehoseBeans {

    /** Sink names in the commit protocol; the source checkpoint waits for both. */
    public static final String LAKE_SINK = "firehose-lake";
    public static final String INDEX_SINK = "firehose-index";
    public static final List<String> SINKS = List.of(LAKE_SINK, INDEX_SINK);

    /** The queues the route file's stream routes read (one per stream, named like the sinks). */
    static final List<String> QUEUES = List.of("seda:" + LAKE_SINK, "seda:" + INDEX_SINK);

    private static final Logger LOG = LoggerFactory.getLogger(FirehoseBeans.class);

    private FirehoseBeans() {
    }

    /**
     * Binds {@code firehoseClient} and the two streams' beans and registers them as services of
     * {@code context}; returns the streams' deliveries for the health check and metrics.
     * {@code tracker} must know the sinks {@link #SINKS}.
     */
    public static List<SinkHealth> bind(CamelContext context, CommitTracker tracker, DeadLetterStore deadLetters) {
        PropertiesComponent properties = context.getPropertiesComponent();
        FirehoseSettings settings = FirehoseSettings.from(key -> properties.resolveProperty(key).orElse(""));
        // resolved once: without a configured region the AWS chain may ask the instance metadata service
        Region region = Regions.resolve(settings.region());
        FirehoseClient client = client(settings, region);
        context.getRegistry().bind("firehoseClient", client);
        CamelServices.register(context, new ClosingService(client));

        BatchDelivery<FirehoseRecord> lake = stream(context, "firehoseLake", LAKE_SINK, settings.lakeStream(), settings, tracker,
                deadLetters);
        BatchDelivery<FirehoseRecord> index = stream(context, "firehoseIndex", INDEX_SINK, settings.indexStream(), settings,
                tracker, deadLetters);
        context.addLifecycleStrategy(new FlushOnStop(QUEUES));
        LOG.info("firehose-direct delivery: events go to Firehose streams {} (lake) and {} (index) in {} ({})",
                settings.lakeStream(), settings.indexStream(), region,
                settings.endpoint().map(Object::toString).orElse("AWS endpoint"));
        return List.of(lake, index);
    }

    private static BatchDelivery<FirehoseRecord> stream(CamelContext context, String beanPrefix, String sink, String stream,
            FirehoseSettings settings, CommitTracker tracker, DeadLetterStore deadLetters) {
        return BatchedStream.bind(context, beanPrefix, sink, stream, new PutRecordBatchCall(),
                new RecordBatcher<>(BatchLimits.PUT_RECORD_BATCH, settings.lingerMillis()),
                (raw, eventId, seq) -> new FirehoseRecord(raw.getBytes(StandardCharsets.UTF_8), seq, eventId),
                new Backoff(settings.retryBaseMillis(), settings.retryMaxMillis()), tracker, deadLetters);
    }

    static FirehoseClient client(FirehoseSettings settings, Region region) {
        FirehoseClientBuilder builder = FirehoseClient.builder()
                .region(region)
                .credentialsProvider(DefaultCredentialsProvider.builder().build());
        settings.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }
}
