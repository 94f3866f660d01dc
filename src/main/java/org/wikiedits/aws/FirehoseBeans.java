package org.wikiedits.aws;

import java.util.List;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Endpoint;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikiedits.checkpoint.CommitTracker;
import org.wikiedits.deadletter.DeadLetterStore;
import org.wikiedits.ops.SinkHealth;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.FirehoseClientBuilder;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponse;
import software.amazon.awssdk.services.firehose.model.Record;

/**
 * The beans of {@code wikiedits.aws.delivery=firehose-direct}, which
 * {@code routes/aws/firehose-direct/publish.camel.yaml} refers to:
 * <ul>
 *   <li>{@code firehoseClient}: the {@link FirehoseClient} (region from {@code wikiedits.aws.region},
 *       else the AWS chain, else us-east-1; credentials from the default AWS chain; endpoint override
 *       {@code wikiedits.firehose.endpoint}); the aws2-kinesis-firehose component is autowired with it;</li>
 *   <li>{@code firehoseLake} and {@code firehoseIndex}: one {@link FirehoseSink} per delivery stream,
 *       known to the commit tracker as {@value #LAKE_SINK} and {@value #INDEX_SINK}.</li>
 * </ul>
 * The sinks send their batches through the Camel producer
 * {@code aws2-kinesis-firehose:<stream>?operation=sendBatchRecord}, which answers the whole
 * PutRecordBatchResponse (with each entry's ErrorCode), so the retry can re-send just the failed entries.
 */
public final class FirehoseBeans {

    /** Sink names in the commit protocol; the source checkpoint waits for both. */
    public static final String LAKE_SINK = "firehose-lake";
    public static final String INDEX_SINK = "firehose-index";
    public static final List<String> SINKS = List.of(LAKE_SINK, INDEX_SINK);

    /** The Camel endpoints the sinks send to; the placeholders are resolved by Camel. */
    static final String LAKE_ENDPOINT = "aws2-kinesis-firehose:{{wikiedits.firehose.lake-stream}}?operation=sendBatchRecord";
    static final String INDEX_ENDPOINT = "aws2-kinesis-firehose:{{wikiedits.firehose.index-stream}}?operation=sendBatchRecord";

    private static final Logger LOG = LoggerFactory.getLogger(FirehoseBeans.class);

    private FirehoseBeans() {
    }

    /**
     * Binds {@code firehoseClient}, {@code firehoseLake} and {@code firehoseIndex} and registers
     * them as services of {@code context}; returns the two sinks for the health check and metrics.
     * {@code tracker} must know the sinks {@link #SINKS}.
     */
    public static List<SinkHealth> bind(CamelContext context, CommitTracker tracker, DeadLetterStore deadLetters) {
        PropertiesComponent properties = context.getPropertiesComponent();
        FirehoseSettings settings = FirehoseSettings.from(key -> properties.resolveProperty(key).orElse(""));
        // resolved once: without a configured region the AWS chain may ask the instance metadata service
        Region region = Regions.resolve(settings.region());
        FirehoseClient client = client(settings, region);
        context.getRegistry().bind("firehoseClient", client);
        addService(context, new ClientCloser(client));

        CamelPut lakePut = new CamelPut(context, LAKE_ENDPOINT);
        CamelPut indexPut = new CamelPut(context, INDEX_ENDPOINT);
        addService(context, lakePut);
        addService(context, indexPut);
        FirehoseSink lake = sink(context, LAKE_SINK, settings.lakeStream(), lakePut, settings, tracker, deadLetters);
        FirehoseSink index = sink(context, INDEX_SINK, settings.indexStream(), indexPut, settings, tracker, deadLetters);
        context.getRegistry().bind("firehoseLake", lake);
        context.getRegistry().bind("firehoseIndex", index);
        LOG.info("firehose-direct delivery: events go to Firehose streams {} (lake) and {} (index) in {} ({})",
                settings.lakeStream(), settings.indexStream(), region,
                settings.endpoint().map(Object::toString).orElse("AWS endpoint"));
        return List.of(lake, index);
    }

    private static FirehoseSink sink(CamelContext context, String name, String stream,
            Function<List<Record>, PutRecordBatchResponse> put, FirehoseSettings settings, CommitTracker tracker,
            DeadLetterStore deadLetters) {
        SinkProblem problem = new SinkProblem();
        BatchRetry<FirehoseRecord> retry = new BatchRetry<>(BatchLimits.PUT_RECORD_BATCH, stream, PutRecordBatchCall.to(put),
                settings.retryBaseMillis(), settings.retryMaxMillis(), Thread::sleep,
                attempt -> attempt > 3 && (context.isStopping() || context.isStopped()), problem);
        FirehoseSink sink = new FirehoseSink(name, stream, new RecordBatcher<>(BatchLimits.PUT_RECORD_BATCH, settings.lingerMillis()),
                retry, problem, tracker, deadLetters, System::currentTimeMillis);
        addService(context, sink);
        return sink;
    }

    static FirehoseClient client(FirehoseSettings settings, Region region) {
        FirehoseClientBuilder builder = FirehoseClient.builder()
                .region(region)
                .credentialsProvider(DefaultCredentialsProvider.builder().build());
        settings.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private static void addService(CamelContext context, Object service) {
        try {
            context.addService(service, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register " + service, e);
        }
    }

    /**
     * PutRecordBatch through the Camel producer of one endpoint; the SDK's exceptions come out as
     * they are, for the retry. The endpoint is resolved and started with the context: one created
     * while Camel shuts down is never started (no client), and the last batches are sent then.
     */
    static final class CamelPut extends ServiceSupport implements Function<List<Record>, PutRecordBatchResponse> {

        private final CamelContext context;
        private final String endpointUri;
        private volatile Endpoint endpoint;
        private volatile ProducerTemplate template;

        CamelPut(CamelContext context, String endpointUri) {
            this.context = context;
            this.endpointUri = endpointUri;
        }

        @Override
        protected void doStart() throws Exception {
            endpoint = context.getEndpoint(endpointUri);
            ServiceHelper.startService(endpoint);
            template = context.createProducerTemplate();
        }

        @Override
        public PutRecordBatchResponse apply(List<Record> records) {
            if (template == null) {
                throw new IllegalStateException("the Firehose endpoint " + endpointUri + " is not started");
            }
            try {
                return template.requestBody(endpoint, records, PutRecordBatchResponse.class);
            } catch (CamelExecutionException e) {
                if (e.getCause() instanceof SdkException sdk) {
                    throw sdk;
                }
                throw e;
            }
        }

        @Override
        protected void doStop() throws Exception {
            if (template != null) {
                template.close();
            }
        }
    }

    /** Closes the client when Camel stops (the component does not close a client it was given). */
    private static final class ClientCloser extends ServiceSupport {

        private final FirehoseClient client;

        ClientCloser(FirehoseClient client) {
            this.client = client;
        }

        @Override
        protected void doStop() {
            client.close();
        }
    }
}
