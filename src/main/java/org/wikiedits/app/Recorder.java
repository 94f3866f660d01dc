package org.wikiedits.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.wikiedits.config.Settings;
import org.wikiedits.source.EventStream;
import org.wikiedits.source.SourceEvent;
import org.wikiedits.source.SourceOptions;
import org.wikiedits.source.http.SseHttpStream;
import org.wikiedits.source.sse.EventStreams;

/**
 * {@code record <file.ndjson> [--limit N] [--seconds S]}: appends the events of
 * {@code wikiedits.source.url} to a file, one event JSON a line, for offline replay with
 * {@code -Dwikiedits.source.url=file:<file>}. Reads with the same client as the pipeline (User-Agent,
 * since, reconnects). Stops after N events, after S seconds, or on Ctrl-C; prints progress to stderr. Nothing
 * recorded is a failure (exit status 1) with the reason: the source unreachable, silent, or empty.
 */
public final class Recorder {

    private static final String SYNOPSIS = "usage: record <file.ndjson> [--limit N] [--seconds S]";
    /** What {@code record --help} and the top-level {@code --help} print. */
    public static final String USAGE = """
            Usage: record <file.ndjson> [--limit N] [--seconds S]
              appends the events of wikiedits.source.url to the file, one event JSON a line, for offline
              replay with -Dwikiedits.source.url=file:<file.ndjson>; progress goes to standard error
              --limit    stop after N events
              --seconds  stop after S seconds (without either: until Ctrl-C)
              no events recorded is a failure (exit status 1) that says why""";
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final long limit;
    private final long seconds;

    private Recorder(Path file, long limit, long seconds) {
        this.file = file;
        this.limit = limit;
        this.seconds = seconds;
    }

    /** Runs the {@code record} subcommand; {@code args} are those after "record". Returns the exit status. */
    public static int run(Settings settings, String[] args) throws InterruptedException {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(USAGE);
            return 0;
        }
        return parse(args).record(settings, System.err);
    }

    static Recorder parse(String[] args) {
        Path file = null;
        long limit = 0;
        long seconds = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--limit" -> limit = positive(args, ++i, "--limit");
                case "--seconds" -> seconds = positive(args, ++i, "--seconds");
                default -> {
                    if (args[i].startsWith("--") || file != null) {
                        throw new IllegalArgumentException("unexpected '" + args[i] + "'; " + SYNOPSIS);
                    }
                    file = Path.of(args[i]);
                }
            }
        }
        if (file == null) {
            throw new IllegalArgumentException("no output file; " + SYNOPSIS);
        }
        return new Recorder(file, limit, seconds);
    }

    private static long positive(String[] args, int index, String flag) {
        if (index >= args.length) {
            throw new IllegalArgumentException(flag + " needs a number; " + SYNOPSIS);
        }
        try {
            long value = Long.parseLong(args[index]);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(flag + " must be a positive whole number, not '" + args[index] + "'; " + SYNOPSIS);
    }

    int record(Settings settings, PrintStream progress) throws InterruptedException {
        String url = settings.require("wikiedits.source.url");
        SourceOptions options = SourceOptions.of(settings);
        EventStreams.validate(url, options);
        EventStream stream = EventStreams.open(url, options, Optional.empty());
        AtomicLong count = new AtomicLong();
        long started = System.nanoTime();
        progress.printf("Recording %s to %s%s%s (Ctrl-C stops)%n", settings.shown("wikiedits.source.url"), file,
                limit > 0 ? ", at most " + limit + " events" : "", seconds > 0 ? ", for " + seconds + " s" : "");
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "record-progress");
            thread.setDaemon(true);
            return thread;
        });
        Thread shutdownHook = new Thread(stream::close, "record-stop");
        boolean fileExisted = Files.exists(file);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
            timer.scheduleAtFixedRate(() -> progress.println(summary(count.get(), started)),
                    PROGRESS_EVERY.toMillis(), PROGRESS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            if (seconds > 0) {
                timer.schedule(stream::close, seconds, TimeUnit.SECONDS);
            }
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            stream.run(event -> {
                if (write(out, event) && count.incrementAndGet() == limit) {
                    stream.close();
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file.toAbsolutePath(), e);
        } finally {
            stream.close();
            timer.shutdownNow();
            removeHook(shutdownHook);
        }
        if (count.get() == 0) {
            progress.println(summary(0, started));
            progress.println("wikiedits: nothing recorded: " + whyNothing(stream));
            if (!fileExisted) {
                deleteEmpty();
            }
            return 1;
        }
        progress.println(summary(count.get(), started) + "; done");
        return 0;
    }

    /** The empty file this run created: left, it would replay as a recording without events. */
    private void deleteEmpty() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the empty " + file.toAbsolutePath(), e);
        }
    }

    /** Why a recording has no events: the source could not be reached, sent none in time, or had none. */
    private String whyNothing(EventStream stream) {
        Optional<String> problem = stream.connectionProblem();
        if (problem.isPresent()) {
            return problem.get() + (problem.get().startsWith("cannot reach") ? "; " + SseHttpStream.OFFLINE_HINT : "");
        }
        return seconds > 0 ? "the source sent no events within " + seconds + " s" : "the source ended without events";
    }

    /** One event a line: the data as received, unless it spans lines (then compacted, still the same JSON). */
    private boolean write(BufferedWriter out, SourceEvent event) {
        String line = event.data();
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            try {
                line = JSON.writeValueAsString(JSON.readTree(line));
            } catch (JsonProcessingException e) {
                System.err.println("Skipping event " + event.id() + ": multi-line data that is not JSON");
                return false;
            }
        }
        try {
            out.write(line);
            out.write('\n');
            out.flush(); // a killed recorder loses at most the event being written
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file.toAbsolutePath(), e);
        }
    }

    private String summary(long events, long startedNanos) {
        double elapsed = Math.max(1e-3, (System.nanoTime() - startedNanos) / 1e9);
        return String.format(Locale.ROOT, "recorded %d events to %s in %.0f s (%.1f/s)", events, file, elapsed, events / elapsed);
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook has run
        }
    }
}
