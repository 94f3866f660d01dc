package org.wikiedits.source.file;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikiedits.source.EventHandler;
import org.wikiedits.source.EventStream;
import org.wikiedits.source.EventTime;
import org.wikiedits.source.SourceEvent;

/**
 * Replays a recording, one event JSON per line (as {@code record} writes it). An event's id is its
 * 1-based line number, so a restart resumes after the checkpointed line. Blank lines are skipped but
 * keep their numbers. At speed 0 events come as fast as the handler takes them; at speed s > 0 the
 * recorded {@code meta.dt} gaps are reproduced divided by s (gaps longer than {@link #MAX_GAP} are
 * shortened to it, so that a recording made of several sessions does not sleep for days).
 * {@link #run} returns at the end of the file.
 */
public final class NdjsonReplay implements EventStream {

    private static final Logger LOG = LoggerFactory.getLogger(NdjsonReplay.class);

    /** The longest recorded pause reproduced, before the speed factor. */
    public static final Duration MAX_GAP = Duration.ofSeconds(60);

    private final Path file;
    private final double speed;
    private final long skipThroughLine;
    private final CountDownLatch closed = new CountDownLatch(1);

    /**
     * @param file          the recording
     * @param speed         0 = as fast as possible, 1 = recorded pace, 2 = twice as fast
     * @param resumeAfterId the line number of the last event already handled, if any
     */
    public NdjsonReplay(Path file, double speed, Optional<String> resumeAfterId) {
        checkSpeed(speed);
        this.file = file;
        this.speed = speed;
        this.skipThroughLine = resumeAfterId.map(id -> lineNumber(id, file)).orElse(0L);
    }

    /** Fails with what to set unless {@code speed} is 0 or a positive factor. */
    public static void checkSpeed(double speed) {
        if (!(speed >= 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("wikiedits.source.replay-speed (sse option replaySpeed) must be 0"
                    + " (as fast as possible) or a positive factor such as 1 (the recorded pace), not " + speed);
        }
    }

    private static long lineNumber(String id, Path file) {
        try {
            return Math.max(0, Long.parseLong(id.trim()));
        } catch (NumberFormatException e) {
            LOG.warn("Resume position '{}' is not a line number of {}; replaying it from the start", id, file);
            return 0;
        }
    }

    @Override
    public void run(EventHandler handler) throws InterruptedException {
        LOG.info("Replaying {} at {}{}", file, speed == 0 ? "full speed" : speed + "x the recorded pace",
                skipThroughLine == 0 ? "" : ", resuming after line " + skipThroughLine);
        long lineNumber = 0;
        long delivered = 0;
        Pacer pacer = new Pacer();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while (!isClosed() && (line = reader.readLine()) != null) {
                lineNumber++;
                if (lineNumber <= skipThroughLine || line.isBlank()) {
                    continue;
                }
                if (lineNumber == 1 && line.charAt(0) == '\uFEFF') {
                    line = line.substring(1);
                }
                if (speed > 0 && !pacer.waitFor(line)) {
                    return;
                }
                handler.onEvent(new SourceEvent(Long.toString(lineNumber), SourceEvent.DEFAULT_TYPE, line));
                delivered++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the recording " + file.toAbsolutePath(), e);
        }
        if (!isClosed()) {
            LOG.info("Replay of {} complete: {} events delivered, {} lines read; no more events will come",
                    file, delivered, lineNumber);
        }
    }

    @Override
    public void close() {
        closed.countDown();
    }

    private boolean isClosed() {
        return closed.getCount() == 0;
    }

    /**
     * Keeps a schedule anchored at the first event (wall clock vs. recorded time, scaled), so
     * sleeping never accumulates drift.
     */
    private final class Pacer {
        private boolean started;
        private long startNanos;
        private Instant latest;
        private long recordedMillis;

        /** Waits until the event is due; false when closed meanwhile. */
        boolean waitFor(String json) throws InterruptedException {
            if (!started) {
                started = true;
                startNanos = System.nanoTime();
            }
            Optional<Instant> dt = EventTime.metaDt(json);
            if (dt.isPresent() && (latest == null || dt.get().isAfter(latest))) {
                if (latest != null) {
                    recordedMillis += Math.min(Duration.between(latest, dt.get()).toMillis(), MAX_GAP.toMillis());
                }
                latest = dt.get(); // events out of order (or without meta.dt) add no pause
            }
            long dueNanos = startNanos + (long) (TimeUnit.MILLISECONDS.toNanos(recordedMillis) / speed);
            long waitNanos = dueNanos - System.nanoTime();
            return waitNanos <= 0 || !closed.await(waitNanos, TimeUnit.NANOSECONDS);
        }
    }
}
