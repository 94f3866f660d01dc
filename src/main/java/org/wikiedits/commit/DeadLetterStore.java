package org.wikiedits.commit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead-letter store: {@code <data>/dead-letter/dead-letter-YYYY-MM-DD.ndjson}, one JSON object a
 * line with {@code reason}, {@code raw} (the original text, unchanged), {@code received_at}, the
 * {@code stage} that gave up and, when known, the {@code event_id}. Input that arrived as bytes that are
 * not valid UTF-8 keeps them in {@code raw_base64} (base64 of exactly the bytes received), since JSON
 * text cannot hold them: {@code raw} then shows them as U+FFFD. Each write is forced to disk
 * before it returns, so a dead letter is as durable as a committed lake file; a write that fails is
 * cut back, so the file holds whole lines only.
 */
public final class DeadLetterStore {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterStore.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** How a dead-letter file is opened for appending: the seam where tests inject a full disk. */
    @FunctionalInterface
    public interface AppendChannels {
        AppendChannels DEFAULT = file -> FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);

        FileChannel open(Path file) throws IOException;
    }

    private final Path directory;
    private final Clock clock;
    private final AppendChannels channels;
    private final AtomicLong count = new AtomicLong();
    private final RecentDeadLetters recent;

    public DeadLetterStore(Path directory) {
        this(directory, Clock.systemUTC());
    }

    public DeadLetterStore(Path directory, Clock clock) {
        this(directory, clock, AppendChannels.DEFAULT);
    }

    public DeadLetterStore(Path directory, Clock clock, AppendChannels channels) {
        this.directory = directory;
        this.clock = clock;
        this.channels = channels;
        this.recent = new RecentDeadLetters(clock);
    }

    /** Stores {@code raw} with the reason it could not be processed. */
    public void write(String stage, String reason, String raw, String eventId) {
        write(stage, reason, raw, null, eventId);
    }

    /** Stores {@code raw}, and {@code rawBytes} (the bytes received, when they are not valid UTF-8) if given. */
    public synchronized void write(String stage, String reason, String raw, byte[] rawBytes, String eventId) {
        ObjectNode line = MAPPER.createObjectNode();
        line.put("reason", reason);
        line.put("raw", raw);
        if (rawBytes != null) {
            line.put("raw_base64", Base64.getEncoder().encodeToString(rawBytes));
        }
        line.put("received_at", clock.instant().toString());
        line.put("stage", stage);
        if (eventId != null) {
            line.put("event_id", eventId);
        }
        try {
            Files.createDirectories(directory);
            Path file = directory.resolve("dead-letter-" + LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC) + ".ndjson");
            byte[] bytes = (MAPPER.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
            try (FileChannel channel = channels.open(file)) {
                appendWhole(channel, bytes);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a dead letter", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the dead-letter store " + directory
                    + " (is the disk full or the folder unwritable?)", e);
        }
        long total = count.incrementAndGet();
        recent.written(stage, reason);
        LOG.warn("dead letter #{} from {}: {}", total, stage, reason);
    }

    /**
     * Appends the line and forces it to disk, or cuts the file back to its size before and throws: a
     * write that fails half-way (a full disk stores part of it) leaves no broken line for the next one
     * to be glued to.
     */
    private static void appendWhole(FileChannel channel, byte[] bytes) throws IOException {
        long before = channel.size();
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        } catch (IOException e) {
            try {
                channel.truncate(before);
            } catch (IOException cutFailed) {
                e.addSuppressed(cutFailed);
            }
            throw e;
        }
    }

    /** Dead letters written by this process. */
    public long count() {
        return count.get();
    }

    /** Dead letters written in the last minute: a sudden run of them is a burst ({@code /health}). */
    public long inLastMinute() {
        return recent.inLastMinute();
    }

    /** The latest dead letter's stage and reason ({@code index: mapper_parsing_exception: ...}), or null before the first. */
    public String latest() {
        return recent.latest();
    }

    public Path directory() {
        return directory;
    }
}
