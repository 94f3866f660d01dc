package org.wikiedits.source.sse;

import java.time.Duration;
import java.util.Map;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.wikiedits.commit.LastEventIdSource;
import org.wikiedits.source.SourceOptions;

/** The options of an {@code sse} endpoint; the component holds one as defaults for all its endpoints. */
@UriParams
public class SseConfiguration implements Cloneable {

    @UriParam(label = "http", description = "The User-Agent sent on every HTTP request. Required for http and https"
            + " targets: Wikimedia answers 403 without an informative one (name/version and a contact URL)."
            + " Defaults to the setting wikiedits.source.user-agent; in a URI write RAW(...) around a value with + or &.")
    private String userAgent;

    @UriParam(label = "http", defaultValue = "", description = "Backfill start, epoch milliseconds or ISO-8601: sent"
            + " as the since query parameter on the first connection, only when lastEventIdSource has no id."
            + " Wikimedia keeps about 7 days and silently starts at 'now' for an older point; the consumer warns"
            + " when the first event is more than 60 s later than since. Defaults to the setting wikiedits.source.since.")
    private String since = "";

    @UriParam(description = "Where the consumer learns at start-up the id of the last event already handled"
            + " (a bean reference such as #checkpointStore). When it has one, an http stream resumes with"
            + " Last-Event-ID, a recording after that line, the generator at that number + 1. Optional.")
    private LastEventIdSource lastEventIdSource;

    @UriParam(label = "http", defaultValue = "60000", javaType = "java.time.Duration", description = "Reconnect"
            + " when no byte arrived for this long (milliseconds, or a duration such as 60s).")
    private long idleTimeout = SourceOptions.DEFAULT_IDLE_TIMEOUT.toMillis();

    @UriParam(label = "http", defaultValue = "1000", javaType = "java.time.Duration", description = "The wait"
            + " before reconnecting after a normal end of the stream (until the server sends retry:), and the"
            + " first step of the exponential backoff after failures.")
    private long initialReconnectDelay = SourceOptions.DEFAULT_INITIAL_RECONNECT_DELAY.toMillis();

    @UriParam(label = "http", defaultValue = "60000", javaType = "java.time.Duration", description = "The longest"
            + " backoff between attempts while the stream fails (a Retry-After from the server may be longer).")
    private long maxReconnectDelay = SourceOptions.DEFAULT_MAX_RECONNECT_DELAY.toMillis();

    @UriParam(label = "http", defaultValue = "10000", javaType = "java.time.Duration",
            description = "TCP/TLS connect timeout.")
    private long connectTimeout = SourceOptions.DEFAULT_CONNECT_TIMEOUT.toMillis();

    @UriParam(label = "file", defaultValue = "0", description = "For file: recordings: 0 = as fast as possible,"
            + " 1 = the recorded pace (meta.dt gaps), 2 = twice as fast. Defaults to the setting wikiedits.source.replay-speed.")
    private double replaySpeed;

    @UriParam(label = "generator", defaultValue = "50", description = "For generator: events per second"
            + " (0 = as fast as possible). Defaults to the setting wikiedits.generator.rate.")
    private double rate = SourceOptions.DEFAULT_RATE;

    /** The framework-free options these settings stand for, with the URI's unknown parameters to pass through. */
    public SourceOptions toSourceOptions(Map<String, String> passThroughQuery) {
        return new SourceOptions(userAgent, since, Duration.ofMillis(idleTimeout), Duration.ofMillis(initialReconnectDelay),
                Duration.ofMillis(maxReconnectDelay), Duration.ofMillis(connectTimeout), replaySpeed, rate, passThroughQuery);
    }

    public SseConfiguration copy() {
        try {
            return (SseConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    public String getUserAgent() {
        return userAgent;
    }

    public void setUserAgent(String userAgent) {
        this.userAgent = userAgent;
    }

    public String getSince() {
        return since;
    }

    public void setSince(String since) {
        this.since = since;
    }

    public LastEventIdSource getLastEventIdSource() {
        return lastEventIdSource;
    }

    public void setLastEventIdSource(LastEventIdSource lastEventIdSource) {
        this.lastEventIdSource = lastEventIdSource;
    }

    public long getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(long idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public long getInitialReconnectDelay() {
        return initialReconnectDelay;
    }

    public void setInitialReconnectDelay(long initialReconnectDelay) {
        this.initialReconnectDelay = initialReconnectDelay;
    }

    public long getMaxReconnectDelay() {
        return maxReconnectDelay;
    }

    public void setMaxReconnectDelay(long maxReconnectDelay) {
        this.maxReconnectDelay = maxReconnectDelay;
    }

    public long getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(long connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public double getReplaySpeed() {
        return replaySpeed;
    }

    public void setReplaySpeed(double replaySpeed) {
        this.replaySpeed = replaySpeed;
    }

    public double getRate() {
        return rate;
    }

    public void setRate(double rate) {
        this.rate = rate;
    }
}
