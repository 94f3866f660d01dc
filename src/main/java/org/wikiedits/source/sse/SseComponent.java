package org.wikiedits.source.sse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.util.TimeUtils;

/**
 * {@code sse:<target>[?options]}: consumes Server-Sent Events ({@code sse:https://...}), replays a
 * recording ({@code sse:file:recording.ndjson}) or generates synthetic events ({@code sse:generator:}).
 * Query parameters that are not options of {@link SseConfiguration} are not rejected: they are passed
 * through to the HTTP request, as SSE URLs carry their own query.
 *
 * <p>Options missing from the URI are taken from the wikiedits settings when Camel's properties hold
 * them ({@link #SETTING_FOR_OPTION}), so {@code sse:{{wikiedits.source.url}}} is a complete source. That
 * also keeps a User-Agent with {@code +} or {@code &} intact, which a URI query would decode; an explicit
 * URI value needs {@code RAW(...)} for that.
 */
@org.apache.camel.spi.annotations.Component("sse")
public class SseComponent extends DefaultComponent {

    /** Options given as durations ("60s", "500ms", "PT1M" or milliseconds). */
    private static final List<String> DURATION_OPTIONS =
            List.of("idleTimeout", "initialReconnectDelay", "maxReconnectDelay", "connectTimeout");

    /** The settings (application.properties keys) an endpoint falls back to for options its URI does not set. */
    public static final Map<String, String> SETTING_FOR_OPTION = Map.of(
            "userAgent", "wikiedits.source.user-agent",
            "since", "wikiedits.source.since",
            "replaySpeed", "wikiedits.source.replay-speed",
            "rate", "wikiedits.generator.rate");

    @Metadata(description = "Defaults for every sse endpoint of this component; each endpoint copies them, then"
            + " applies the wikiedits settings it falls back to, then its own URI options.")
    private SseConfiguration configuration = new SseConfiguration();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (remaining == null || remaining.isBlank()) {
            throw new IllegalArgumentException("The sse endpoint " + uri + " needs a target: sse:https://host/stream,"
                    + " sse:file:recording.ndjson or sse:generator:");
        }
        SseConfiguration endpointConfiguration = configuration.copy();
        setProperties(endpointConfiguration, settingsNotInUri(parameters));
        convertDurations(parameters);
        // binds (and removes) the known options; what is left is passed through, see afterConfiguration
        setProperties(endpointConfiguration, parameters);
        return new SseEndpoint(uri, this, remaining, endpointConfiguration);
    }

    @Override
    protected void afterConfiguration(String uri, String remaining, Endpoint endpoint, Map<String, Object> parameters) {
        Map<String, String> passThrough = new LinkedHashMap<>();
        parameters.forEach((key, value) -> passThrough.put(key, value == null ? "" : value.toString()));
        ((SseEndpoint) endpoint).setPassThroughParameters(passThrough);
    }

    private Map<String, Object> settingsNotInUri(Map<String, Object> parameters) {
        Map<String, Object> fromSettings = new LinkedHashMap<>();
        SETTING_FOR_OPTION.forEach((option, setting) -> {
            boolean inUri = parameters.keySet().stream().anyMatch(option::equalsIgnoreCase);
            if (!inUri) {
                getCamelContext().getPropertiesComponent().resolveProperty(setting)
                        .filter(value -> !value.isBlank())
                        .ifPresent(value -> fromSettings.put(option, value));
            }
        });
        return fromSettings;
    }

    private static void convertDurations(Map<String, Object> parameters) {
        for (Map.Entry<String, Object> parameter : parameters.entrySet()) {
            boolean isDuration = DURATION_OPTIONS.stream().anyMatch(name -> name.equalsIgnoreCase(parameter.getKey()));
            if (isDuration && parameter.getValue() instanceof String text) {
                try {
                    parameter.setValue(TimeUtils.toMilliSeconds(text.trim()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("sse option " + parameter.getKey() + " must be a duration such as"
                            + " 60s, 500ms or 60000 (milliseconds), not '" + text + "'", e);
                }
            }
        }
    }

    public SseConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(SseConfiguration configuration) {
        this.configuration = configuration;
    }
}
