package org.wikiedits.commit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source checkpoint, {@code <data>/state/checkpoint.json}: the last event id that every sink has
 * committed, for the source URL it belongs to. Saved by write-to-temp, force, atomic rename, so a
 * crash leaves either the old or the new checkpoint, never a torn one. A checkpoint of another
 * source (say a recording after the live stream) is ignored with a warning.
 */
public final class CheckpointStore implements LastEventIdSource {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path file;
    private final String source;
    private volatile Instant savedAt;

    public CheckpointStore(Path stateDir, String source) {
        this.file = stateDir.resolve("checkpoint.json");
        this.source = source;
    }

    @Override
    public Optional<String> lastEventId() {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode node = MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
            String savedSource = node.path("source").asText("");
            if (!savedSource.equals(source)) {
                LOG.warn("Ignoring the checkpoint in {}: it belongs to source {}, not {}", file, savedSource, source);
                return Optional.empty();
            }
            String id = node.path("last_event_id").asText("");
            return id.isEmpty() ? Optional.empty() : Optional.of(id);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint " + file + "; move it away to start afresh", e);
        }
    }

    /** The saved checkpoint's {@code saved_at}: its event is no newer (empty when unknown or unreadable). */
    @Override
    public Optional<Instant> committedAt() {
        try {
            JsonNode savedAt = Files.isRegularFile(file) ? MAPPER.readTree(file.toFile()).get("saved_at") : null;
            return savedAt == null || !savedAt.isTextual() ? Optional.empty() : Optional.of(Instant.parse(savedAt.textValue()));
        } catch (IOException | java.time.DateTimeException e) {
            return Optional.empty(); // only the history check needs it; lastEventId() reports an unreadable file
        }
    }

    /** Durably records that every event up to and including {@code lastEventId} is committed. */
    public void save(String lastEventId) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("source", source);
        node.put("last_event_id", lastEventId);
        Instant now = Instant.now();
        node.put("saved_at", now.toString());
        try {
            Files.createDirectories(file.getParent());
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(ByteBuffer.wrap(MAPPER.writeValueAsBytes(node)));
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            savedAt = now;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the checkpoint " + file, e);
        }
        CrashPoint.reached(CrashPoint.CHECKPOINT_SAVED);
    }

    /** When this process last saved a checkpoint, or null. */
    public Instant savedAt() {
        return savedAt;
    }

    public Path file() {
        return file;
    }
}
