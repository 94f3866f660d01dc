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

/**
 * Binds what {@code routes/dashboard.camel.yaml} calls: {@code dashboardAssets}, {@code liveIndex}
 * (the index: the embedded node or {@code wikiedits.opensearch.url}), {@code historyLake} (the lake:
 * DuckDB in local mode, Athena in aws mode) and {@code apiErrors}.
 */
public final class DashboardBeans {

    private DashboardBeans() {
    }

    /** {@code index}: the index's client, empty when no index is configured (aws mode without an OpenSearch URL). */
    public static void bind(CamelContext context, boolean aws, Path dataDir, Optional<OpenSearchClient> index) throws Exception {
        PropertiesComponent properties = context.getPropertiesComponent();
        LakeQueryRunner lake = aws ? new AthenaLakeQueries(settingsOf(properties)) : new DuckDbLakeQueries(dataDir.resolve("lake"));
        HistoryLake history = new HistoryLake(lake, Clock.systemUTC());
        context.addService(history, true, true);
        context.getRegistry().bind("dashboardAssets", new DashboardAssets());
        context.getRegistry().bind("liveIndex", new LiveIndex(index, Clock.systemUTC()));
        context.getRegistry().bind("historyLake", history);
        context.getRegistry().bind("apiErrors", new ApiErrors());
    }

    /** The settings as this Camel context resolves them (overrides included), for the Athena query context. */
    private static Supplier<Settings> settingsOf(PropertiesComponent properties) {
        return () -> {
            Settings defaults = Settings.load();
            Map<String, String> resolved = new HashMap<>();
            defaults.asMap().keySet().forEach(key -> properties.resolveProperty(key).ifPresent(value -> resolved.put(key, value)));
            return defaults.with(resolved);
        };
    }
}
