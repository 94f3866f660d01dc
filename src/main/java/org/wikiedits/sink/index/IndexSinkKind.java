package org.wikiedits.sink.index;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.opensearch.client.RestClient;
import org.wikiedits.commit.CommitTracker;
import org.wikiedits.commit.DeadLetterStore;
import org.wikiedits.commit.FlushOnStop;
import org.wikiedits.config.SettingValues;
import org.wikiedits.config.SinkKind;

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
        IndexSink indexSink = create(context, "seda:" + IndexSink.SINK,
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
     * The index routes' bean of local mode and of aws camel delivery (one construction for both), for {@code wikiedits.opensearch.url}/{@code .username}/{@code .password} and
     * {@code wikiedits.index.*}; it reports to {@code tracker} as sink {@link IndexSink#SINK}. Also binds the REST
     * client ({@code opensearchRestClient}) that the {@code opensearch:} component is autowired with, and asks
     * for a last flush tick into {@code queue} when Camel stops ({@link FlushOnStop}).
     */
    public static IndexSink create(CamelContext context, String queue, CommitTracker tracker, DeadLetterStore deadLetters) {
        PropertiesComponent properties = context.getPropertiesComponent();
        SettingValues settings = SettingValues.of(properties);
        OpenSearchEndpoint endpoint = OpenSearchEndpoint.of(settings.required(OpenSearchEndpoint.URL_SETTING),
                settings.text(OpenSearchEndpoint.USERNAME_SETTING), settings.text(OpenSearchEndpoint.PASSWORD_SETTING));
        RestClient client = OpenSearchRestClients.shared(endpoint, context);
        context.getRegistry().bind("opensearchRestClient", RestClient.class, client);
        context.addLifecycleStrategy(new FlushOnStop(List.of(queue)));
        return new IndexSink((int) settings.number("wikiedits.index.batch-size"),
                Duration.ofMillis(settings.number("wikiedits.index.linger-ms")), new IndexTemplate(client, endpoint),
                tracker, deadLetters, endpoint, IndexSink.RETRY, () -> context.isStopping() || context.isStopped(),
                Clock.systemUTC());
    }
}
