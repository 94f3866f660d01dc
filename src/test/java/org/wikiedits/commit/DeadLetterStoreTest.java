package org.wikiedits.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.testing.FaultyFileSystem;
import org.wikiedits.testing.MutableClock;

class DeadLetterStoreTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    @Test
    void aWriteThatFailsHalfWayIsCutBackSoTheNextDeadLetterIsAWholeLine() throws Exception {
        FaultyFileSystem disk = new FaultyFileSystem();
        Path dir = data.resolve("dead-letter");
        DeadLetterStore store = new DeadLetterStore(dir, new MutableClock(Instant.parse("2026-12-07T06:00:00Z")),
                file -> disk.wrap(DeadLetterStore.AppendChannels.DEFAULT.open(file)));
        store.write("source", "first", "raw one", "id-1");

        disk.diskFull(true); // half the line lands, then "No space left on device"
        assertThatThrownBy(() -> store.write("lake", "second", "raw two", "id-2")).isInstanceOf(UncheckedIOException.class);
        disk.diskFull(false);
        store.write("index", "third", "raw three", "id-3");

        List<String> reasons = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("dead-letter-2026-12-07.ndjson"), StandardCharsets.UTF_8)) {
            reasons.add(JSON.readTree(line).path("reason").asText());
        }
        assertThat(disk.failedWrites()).isPositive();
        assertThat(reasons).containsExactly("first", "third");
    }
}
