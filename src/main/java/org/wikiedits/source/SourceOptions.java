package org.wikiedits.source;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.wikiedits.config.Settings;

/**
 * How to read a source, whatever its kind; the Camel endpoint and the {@code record} command both
 * build one, so they read the same way. Options that do not apply to a target are ignored.
 *
 * @param userAgent             sent on every HTTP request (required for http and https targets)
 * @param since                 backfill start (epoch ms or ISO-8601) used only when there is no id to
 *                              resume from; empty for "now"
 * @param idleTimeout           reconnect when no byte arrived for this long
 * @param initialReconnectDelay first wait after a failure, and the wait before a normal reconnect
 *                              until the server sends {@code retry:}
 * @param maxReconnectDelay     cap of the exponential backoff
 * @param connectTimeout        TCP/TLS connect timeout
 * @param replaySpeed           recordings: 0 = as fast as possible, 1 = recorded pace, 2 = twice as fast
 *                              (checked by the replay)
 * @param rate                  generator: events per second, 0 = as fast as possible (checked by the generator)
 * @param extraQuery            query parameters passed through to every HTTP request, in order
 */
public record SourceOptions(
        String userAgent,
        String since,
        Duration idleTimeout,
        Duration initialReconnectDelay,
        Duration maxReconnectDelay,
        Duration connectTimeout,
        double replaySpeed,
        double rate,
        Map<String, String> extraQuery) {

    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_INITIAL_RECONNECT_DELAY = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_RECONNECT_DELAY = Duration.ofSeconds(60);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final double DEFAULT_RATE = 50;

    public SourceOptions {
        userAgent = userAgent == null ? "" : userAgent.trim();
        since = since == null ? "" : since.trim();
        requirePositive(idleTimeout, "idleTimeout");
        requirePositive(initialReconnectDelay, "initialReconnectDelay");
        requirePositive(maxReconnectDelay, "maxReconnectDelay");
        requirePositive(connectTimeout, "connectTimeout");
        if (maxReconnectDelay.compareTo(initialReconnectDelay) < 0) {
            throw new IllegalArgumentException("maxReconnectDelay (" + maxReconnectDelay
                    + ") must not be shorter than initialReconnectDelay (" + initialReconnectDelay + ")");
        }
        extraQuery = Map.copyOf(Objects.requireNonNullElse(extraQuery, Map.of()));
    }

    /** The defaults, with the given User-Agent. */
    public static SourceOptions defaults(String userAgent) {
        return new SourceOptions(userAgent, "", DEFAULT_IDLE_TIMEOUT, DEFAULT_INITIAL_RECONNECT_DELAY,
                DEFAULT_MAX_RECONNECT_DELAY, DEFAULT_CONNECT_TIMEOUT, 0, DEFAULT_RATE, Map.of());
    }

    /** The defaults with the source settings ({@code wikiedits.source.*}, {@code wikiedits.generator.rate}). */
    public static SourceOptions of(Settings settings) {
        return defaults(settings.get("wikiedits.source.user-agent"))
                .withSince(settings.get("wikiedits.source.since"))
                .withReplaySpeed(settings.get("wikiedits.source.replay-speed").isEmpty() ? 0 : settings.getDouble("wikiedits.source.replay-speed"))
                .withRate(settings.get("wikiedits.generator.rate").isEmpty() ? DEFAULT_RATE : settings.getDouble("wikiedits.generator.rate"));
    }

    public SourceOptions withSince(String newSince) {
        return new SourceOptions(userAgent, newSince, idleTimeout, initialReconnectDelay, maxReconnectDelay,
                connectTimeout, replaySpeed, rate, extraQuery);
    }

    public SourceOptions withReplaySpeed(double newReplaySpeed) {
        return new SourceOptions(userAgent, since, idleTimeout, initialReconnectDelay, maxReconnectDelay,
                connectTimeout, newReplaySpeed, rate, extraQuery);
    }

    public SourceOptions withRate(double newRate) {
        return new SourceOptions(userAgent, since, idleTimeout, initialReconnectDelay, maxReconnectDelay,
                connectTimeout, replaySpeed, newRate, extraQuery);
    }

    public SourceOptions withTimings(Duration newIdleTimeout, Duration newInitialReconnectDelay, Duration newMaxReconnectDelay) {
        return new SourceOptions(userAgent, since, newIdleTimeout, newInitialReconnectDelay, newMaxReconnectDelay,
                connectTimeout, replaySpeed, rate, extraQuery);
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be a positive duration, not " + value);
        }
    }
}
