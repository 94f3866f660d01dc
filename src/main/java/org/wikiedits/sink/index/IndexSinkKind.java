package org.wikiedits.sink.index;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.opensearch.client.RestClient;
import org.wikiedits.checkpoint.CommitTracker;
import org.wikiedits.config.CamelSettings;
import org.wikiedits.config.SinkKind;
import org.wikiedits.deadletter.DeadLetterStore;
import org.wikiedits.opensearch.OpenSearchEndpoint;
import org.wikiedits.opensearch.OpenSearchRestClients;
import org.wikiedits.pipeline.FlushOnStop;

/**
 * The search index as a sink of local mode ({@code wikiedits.sinks} names {@code index}): bound as
 * {@code indexSink} for the routes of {@code routes/local/index/}, on {@code wikiedits.opensearch.url}
 * (the embedded node's when none is set).
 */
public final class IndexSinkKind implements SinkKind {

    @Override
    public String name() {
        return IndexSink.SINK;
    }

    @Override
    public Object bind(CamelContext context) throws Exception {
        IndexSink indexSink = indexSink(context, "seda:" + IndexSink.SINK,
                context.getRegistry().lookupByNameAndType("commitTracker", CommitTracker.class),
                context.getRegistry().lookupByNameAndType("deadLetters", DeadLetterStore.class));
        context.addService(indexSink, true, true);
        context.getRegistry().bind("indexSink", indexSink);
        return indexSink;
    }

    @Override
    public String describe(UnaryOperator<String> setting) {
        return "index " + setting.apply(OpenSearchEndpoint.URL_SETTING);
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
        OpenSearchEndpoint endpoint = OpenSearchEndpoint.of(CamelSettings.required(properties, OpenSearchEndpoint.URL_SETTING),
                CamelSettings.optional(properties, OpenSearchEndpoint.USERNAME_SETTING),
                CamelSettings.optional(properties, OpenSearchEndpoint.PASSWORD_SETTING));
        RestClient client = OpenSearchRestClients.shared(endpoint, context);
        context.getRegistry().bind("opensearchRestClient", RestClient.class, client);
        PendingBatch pending = new PendingBatch((int) CamelSettings.number(properties, "wikiedits.index.batch-size"),
                Duration.ofMillis(CamelSettings.number(properties, "wikiedits.index.linger-ms")), System::nanoTime);
        context.addLifecycleStrategy(new FlushOnStop(List.of(queue)));
        return new IndexSink(pending, new IndexTemplate(client, endpoint), tracker, deadLetters, endpoint, IndexSink.RETRY,
                () -> context.isStopping() || context.isStopped(), Clock.systemUTC());
    }
}
