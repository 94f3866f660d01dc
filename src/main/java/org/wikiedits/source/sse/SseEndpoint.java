package org.wikiedits.source.sse;

import java.util.Map;
import java.util.Optional;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.wikiedits.commit.LastEventIdSource;
import org.wikiedits.source.EventStream;
import org.wikiedits.source.SourceOptions;

/** An {@code sse} endpoint: consumer only; see {@link SseComponent}. */
@UriEndpoint(firstVersion = "0.1.0", scheme = "sse", title = "Server-Sent Events (wikiedits)", syntax = "sse:target",
        consumerOnly = true, lenientProperties = true, category = {Category.HTTP, Category.MESSAGING},
        headersClass = SseConstants.class)
public class SseEndpoint extends DefaultEndpoint {

    @UriPath(description = "What to read: an http(s) SSE URL, file:recording.ndjson (one event JSON a line) or"
            + " generator: (synthetic events).")
    @Metadata(required = true)
    private final String target;

    @UriParam
    private final SseConfiguration configuration;

    /** The URI's parameters that are no options: they go to the HTTP request as they are. */
    private Map<String, String> passThroughParameters = Map.of();

    public SseEndpoint(String uri, SseComponent component, String target, SseConfiguration configuration) {
        super(uri, component);
        this.target = target;
        this.configuration = configuration;
    }

    /** Unknown query parameters (such as an SSE server's own) are kept for the request, not rejected. */
    @Override
    public boolean isLenientProperties() {
        return true;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("The sse component only consumes: use it in from(), not to() (" + getEndpointUri() + ")");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        SseConsumer consumer = new SseConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /** Fails with a message that says what to set when the options cannot work for the target. */
    void validate() {
        EventStreams.validate(target, sourceOptions());
    }

    /** Opens the source at the position {@code lastEventIdSource} gives, or at the configured start. */
    EventStream openStream() {
        LastEventIdSource positions = configuration.getLastEventIdSource();
        Optional<String> resumeAfter = positions == null ? Optional.empty() : positions.lastEventId();
        Optional<java.time.Instant> committedAt = resumeAfter.isEmpty() ? Optional.empty() : positions.committedAt();
        return EventStreams.open(target, sourceOptions(), resumeAfter, committedAt);
    }

    SourceOptions sourceOptions() {
        return configuration.toSourceOptions(passThroughParameters);
    }

    public String getTarget() {
        return target;
    }

    public SseConfiguration getConfiguration() {
        return configuration;
    }

    public Map<String, String> getPassThroughParameters() {
        return passThroughParameters;
    }

    void setPassThroughParameters(Map<String, String> passThroughParameters) {
        this.passThroughParameters = Map.copyOf(passThroughParameters);
    }
}
