package org.wikiedits.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.wikiedits.commit.DeadLetterStore;

/**
 * Reads the dead-letter store ({@link DeadLetterStore}: {@code <data>/dead-letter/*.ndjson}) back, file by
 * file in name (so date) order. The running app may be appending meanwhile: a last line without its
 * line end is still being written and is left for the next replay. A line that is not a dead letter
 * (not JSON) becomes a letter whose raw text is that line, so the replay reports it instead of stopping.
 */
final class DeadLetterFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DeadLetterFiles() {
    }

    static List<Letter> read(Path directory) throws IOException {
        List<Letter> letters = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return letters;
        }
        List<Path> files;
        try (Stream<Path> listed = Files.list(directory)) {
            files = listed.filter(f -> f.getFileName().toString().endsWith(".ndjson")).sorted().toList();
        }
        for (Path file : files) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int start = 0;
            int number = 0;
            for (int end = text.indexOf('\n'); end >= 0; start = end + 1, end = text.indexOf('\n', start)) {
                number++;
                String line = text.substring(start, end);
                if (!line.isBlank()) {
                    letters.add(letter(file.getFileName() + ":" + number, line));
                }
            }
        }
        return letters;
    }

    private static Letter letter(String key, String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (IOException e) {
            return Letter.event(key, "unknown", "not a dead-letter line", null, line);
        }
        return Letter.event(key, node.path("stage").asText("unknown"), node.path("reason").asText(""),
                instant(node.path("received_at").asText(null)), node.path("raw").asText(""));
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
