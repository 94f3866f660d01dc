package org.wikiedits.source.sse;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.wikiedits.config.Secrets;
import org.wikiedits.source.EventStream;
import org.wikiedits.source.SourceOptions;
import org.wikiedits.source.file.NdjsonReplay;
import org.wikiedits.source.generator.GeneratorStream;
import org.wikiedits.source.http.SseHttpStream;

/**
 * Opens the source a target names: {@code http(s)://...} (a live SSE stream),
 * {@code file:recording.ndjson} (a recording) or {@code generator:} (synthetic events).
 */
public final class EventStreams {

    private EventStreams() {
    }

    /**
     * @param target        the source URL
     * @param options       how to read it
     * @param resumeAfterId the id of the last event already handled (from a checkpoint), if any
     */
    public static EventStream open(String target, SourceOptions options, Optional<String> resumeAfterId) {
        return open(target, options, resumeAfterId, Optional.empty());
    }

    /** @param committedAt when {@code resumeAfterId} was committed, if known (for the live stream's history check) */
    public static EventStream open(String target, SourceOptions options, Optional<String> resumeAfterId,
                                   Optional<java.time.Instant> committedAt) {
        String scheme = schemeOf(target);
        return switch (scheme) {
            case "http", "https" -> new SseHttpStream(target, options, resumeAfterId, committedAt);
            case "file" -> new NdjsonReplay(filePath(target), options.replaySpeed(), resumeAfterId);
            case "generator" -> new GeneratorStream(options.rate(), resumeAfterId);
            default -> throw new IllegalArgumentException(unsupported(target));
        };
    }

    /** Fails with a message that says what to set when {@code target} cannot be opened with {@code options}. */
    public static void validate(String target, SourceOptions options) {
        String scheme = schemeOf(target);
        switch (scheme) {
            case "http", "https" -> SseHttpStream.validate(target, options);
            case "file" -> {
                Path path = filePath(target);
                NdjsonReplay.checkSpeed(options.replaySpeed());
                if (!java.nio.file.Files.isReadable(path)) {
                    throw new IllegalArgumentException("Cannot read the recording " + path.toAbsolutePath()
                            + " (from " + target + "): record one with `java -jar camel-app.jar record " + path + "`");
                }
            }
            case "generator" -> GeneratorStream.checkRate(options.rate());
            default -> throw new IllegalArgumentException(unsupported(target));
        }
    }

    static String schemeOf(String target) {
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException(unsupported(target));
        }
        int colon = target.indexOf(':');
        return colon < 0 ? "" : target.substring(0, colon).toLowerCase(Locale.ROOT);
    }

    /** {@code file:relative.ndjson}, {@code file:/abs.ndjson} or {@code file:///abs.ndjson}. */
    static Path filePath(String target) {
        String rest = target.substring("file:".length());
        if (rest.startsWith("//")) {
            return Path.of(java.net.URI.create(target));
        }
        if (rest.isBlank()) {
            throw new IllegalArgumentException("file: needs a path, e.g. file:recording.ndjson");
        }
        return Path.of(rest);
    }

    private static String unsupported(String target) {
        return "Unsupported source '" + Secrets.inUrl(target) + "': set wikiedits.source.url to an http(s) SSE URL,"
                + " file:recording.ndjson (a recording) or generator: (synthetic events)";
    }
}
