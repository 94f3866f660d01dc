package org.wikiedits.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * What was replayed: {@code <data>/dead-letter-replayed.ndjson}, beside the store, one JSON object a line
 * ({@code key}: the letter's place, {@code sink}, {@code event_id}, {@code replayed_at}). Append-only like
 * the store itself, whose lines are never rewritten (the running app appends to them): a letter counts as
 * replayed to a sink once a line names its key and that sink. Only what a sink acknowledged is marked;
 * what failed again stays unmarked, so the next replay tries it again. The file is locked while a replay
 * runs, so two replays do not send the same letters at once.
 */
final class ReplayLedger implements AutoCloseable {

    static final String FILE = "dead-letter-replayed.ndjson";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final Set<String> marked = new HashSet<>();

    private ReplayLedger(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Opens and locks the ledger of the data folder {@code dataDir}; fails when another replay holds it. */
    static ReplayLedger open(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve(FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        FileLock lock;
        try {
            lock = channel.tryLock(0, Long.MAX_VALUE, false);
        } catch (OverlappingFileLockException heldInThisJvm) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("another replay-dead-letters is running on " + dataDir + " (it holds " + file
                    + "): wait for it to finish");
        }
        ReplayLedger ledger = new ReplayLedger(file, channel, lock);
        String text = Files.readString(file, StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            JsonNode node = readable(line);
            if (node != null) {
                ledger.marked.add(mark(node.path("key").asText(), node.path("sink").asText()));
            }
        }
        if (!text.isEmpty() && !text.endsWith("\n")) {
            // a mark cut off by a crash: its letter is sent again (the sinks take it once), and the next mark starts on a line of its own
            channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
        }
        return ledger;
    }

    private static JsonNode readable(String line) {
        try {
            return line.isBlank() ? null : JSON.readTree(line);
        } catch (IOException cutOff) {
            return null;
        }
    }

    boolean replayed(String key, String sink) {
        return marked.contains(mark(key, sink));
    }

    /** Marks {@code key} as replayed to {@code sink}, forced to disk before it returns. */
    void mark(String key, String sink, String eventId, Instant at) throws IOException {
        ObjectNode line = JSON.createObjectNode();
        line.put("key", key);
        line.put("sink", sink);
        line.put("event_id", eventId);
        line.put("replayed_at", at.toString());
        channel.write(ByteBuffer.wrap((JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8)));
        channel.force(false);
        marked.add(mark(key, sink));
    }

    Path file() {
        return file;
    }

    private static String mark(String key, String sink) {
        return sink + " " + key;
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
