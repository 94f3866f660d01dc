package org.wikiedits.sink.index;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.opensearch.client.RestClient;
import org.wikiedits.commit.CommitTracker;
import org.wikiedits.commit.DeadLetterStore;
import org.wikiedits.commit.FlushOnStop;
import org.wikiedits.config.SettingValues;

/** Builds the {@link IndexSink} of local mode and of aws camel delivery (one construction for both). */
public final class IndexSinks {

    private IndexSinks() {
    }

    /**
     * The index routes' bean for {@code wikiedits.opensearch.url}/{@code .username}/{@code .password} and
     * {@code wikiedits.index.*}; it reports to {@code tracker} as sink {@link IndexSink#SINK}. Also binds the REST
     * client ({@code opensearchRestClient}) that the {@code opensearch:} component is autowired with, and asks
     * for a last flush tick into {@code queue} when Camel stops ({@link FlushOnStop}).
     */
    public static IndexSink create(CamelContext context, String queue, CommitTracker tracker, DeadLetterStore deadLetters) {
        PropertiesComponent properties = context.getPropertiesComponent();
        SettingValues settings = new SettingValues(key -> properties.resolveProperty(key).orElse(null));
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
