package org.wikiedits.dashboard;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.wikiedits.config.Settings;
import org.opensearch.client.RestClient;
import org.wikiedits.sink.index.OpenSearchEndpoint;
import org.wikiedits.sink.index.OpenSearchRestClients;

/**
 * Binds what {@code routes/dashboard.camel.yaml} calls: {@code dashboardAssets}, {@code liveIndex}
 * (the index: the embedded node or {@code wikiedits.opensearch.url}), {@code historyLake} (the lake:
 * DuckDB in local mode, Athena in aws mode) and {@code apiErrors}.
 */
public final class DashboardBeans {

    private DashboardBeans() {
    }

    /** Called after the index routes' beans are bound, so that the live panels share their REST client. */
    public static void bind(CamelContext context, boolean aws, Path dataDir) throws Exception {
        PropertiesComponent properties = context.getPropertiesComponent();
        LakeQueryRunner lake = aws ? new AthenaLakeQueries(settingsOf(properties)) : new DuckDbLakeQueries(dataDir.resolve("lake"));
        HistoryLake history = new HistoryLake(lake, Clock.systemUTC());
        context.addService(history, true, true);
        context.getRegistry().bind("dashboardAssets", new DashboardAssets());
        context.getRegistry().bind("liveIndex", liveIndex(context, settingsOf(properties).get()));
        context.getRegistry().bind("historyLake", history);
        context.getRegistry().bind("apiErrors", new ApiErrors());
    }

    /**
     * The live panels over {@code wikiedits.opensearch.url} (the embedded node's URL in local mode), searched
     * through the REST client the {@code opensearch:} component is autowired with ({@code opensearchRestClient},
     * bound with the index routes' bean); without an index route, a client like it, which Camel closes.
     */
    private static LiveIndex liveIndex(CamelContext context, Settings settings) {
        Optional<OpenSearchEndpoint> endpoint = OpenSearchEndpoint.configured(settings);
        if (endpoint.isEmpty()) {
            return LiveIndex.unconfigured(Clock.systemUTC());
        }
        RestClient client = Optional.ofNullable(context.getRegistry().lookupByNameAndType("opensearchRestClient", RestClient.class))
                .orElseGet(() -> OpenSearchRestClients.shared(endpoint.get(), context));
        return new LiveIndex(client, endpoint.get(), Clock.systemUTC());
    }

    /** The settings as this Camel context resolves them (overrides included), for the Athena query context and the index's endpoint. */
    private static Supplier<Settings> settingsOf(PropertiesComponent properties) {
        return () -> {
            Settings defaults = Settings.load();
            Map<String, String> resolved = new HashMap<>();
            defaults.asMap().keySet().forEach(key -> properties.resolveProperty(key).ifPresent(value -> resolved.put(key, value)));
            return defaults.with(resolved);
        };
    }
}
