package org.wikiedits.commit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {

    @TempDir
    Path state;

    @Test
    void aSavedCheckpointTellsWhenItWasCommitted() {
        CheckpointStore store = new CheckpointStore(state, "http://stream");
        assertThat(store.committedAt()).isEmpty();
        Instant before = Instant.now();
        store.save("[{\"offset\":7}]");
        assertThat(new CheckpointStore(state, "http://stream").committedAt())
                .hasValueSatisfying(savedAt -> assertThat(savedAt).isBetween(before, Instant.now()));
    }

    @Test
    void aCheckpointWithoutAReadableSaveTimeHasNone() throws Exception {
        Files.writeString(state.resolve("checkpoint.json"), "{\"source\":\"s\",\"last_event_id\":\"1\",\"saved_at\":\"yesterday\"}");
        assertThat(new CheckpointStore(state, "s").committedAt()).isEmpty();
        assertThat(new CheckpointStore(state, "s").lastEventId()).hasValue("1");
    }
}
