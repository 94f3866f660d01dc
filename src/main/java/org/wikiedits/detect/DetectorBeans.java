package org.wikiedits.detect;

import java.time.Clock;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.opensearch.client.RestClient;
import org.wikiedits.config.SettingValues;
import org.wikiedits.delivery.Backoff;
import org.wikiedits.sink.index.IndexTemplate;
import org.wikiedits.sink.index.OpenSearchEndpoint;
import org.wikiedits.sink.index.OpenSearchRestClients;

/**
 * Binds what {@code routes/detectors.camel.yaml} calls: {@code detectors} (the four detectors),
 * {@code alertIndex} (the {@value Alert#INDEX} index, when there is an index) and {@code alertWebhook}
 * (the webhook's cool-down, rate limit and retries). Called after the sinks' beans, so that the alerts
 * share the index's REST client ({@code opensearchRestClient}, which the {@code opensearch:} component
 * is autowired with).
 */
public final class DetectorBeans {

    public static final String WEBHOOK_URL = "wikiedits.alerts.webhook-url";

    private DetectorBeans() {
    }

    public static Detectors bind(CamelContext context) {
        SettingValues settings = SettingValues.of(context.getPropertiesComponent());
        DetectorSettings detectorSettings = DetectorSettings.read(settings);
        Detectors detectors = new Detectors(detectorSettings);
        context.getRegistry().bind("detectors", detectors);
        context.getRegistry().bind("alertIndex", alertIndex(context, settings));
        context.getRegistry().bind("alertWebhook", new AlertWebhook(!settings.text(WEBHOOK_URL).isEmpty(),
                detectorSettings.cooldown(), (int) settings.positive("wikiedits.alerts.webhook-per-minute"),
                (int) settings.positive("wikiedits.alerts.webhook-attempts"),
                new Backoff(settings.positive("wikiedits.alerts.webhook-retry-ms"), Duration.ofMinutes(1).toMillis()),
                Clock.systemUTC()));
        return detectors;
    }

    private static AlertIndex alertIndex(CamelContext context, SettingValues settings) {
        String url = settings.text(OpenSearchEndpoint.URL_SETTING);
        if (url.isEmpty()) {
            return new AlertIndex(null, null);
        }
        OpenSearchEndpoint endpoint = OpenSearchEndpoint.of(url, settings.text(OpenSearchEndpoint.USERNAME_SETTING),
                settings.text(OpenSearchEndpoint.PASSWORD_SETTING));
        RestClient client = context.getRegistry().lookupByNameAndType("opensearchRestClient", RestClient.class);
        if (client == null) {
            client = OpenSearchRestClients.shared(endpoint, context);
            context.getRegistry().bind("opensearchRestClient", RestClient.class, client);
        }
        return new AlertIndex(new IndexTemplate(client, endpoint, Alert.INDEX, AlertIndex.TEMPLATE), endpoint);
    }
}
