package org.wikiedits.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayLedgerTest {

    @TempDir
    Path data;

    @Test
    void aMarkNamesTheLetterAndTheSinkAndOutlivesTheReplay() throws Exception {
        try (ReplayLedger ledger = ReplayLedger.open(data)) {
            ledger.mark("dead-letter-2026-12-07.ndjson:3", "index", "id-3", Instant.parse("2026-12-07T11:00:00Z"));
        }
        try (ReplayLedger ledger = ReplayLedger.open(data)) {
            assertThat(ledger.replayed("dead-letter-2026-12-07.ndjson:3", "index")).isTrue();
            assertThat(ledger.replayed("dead-letter-2026-12-07.ndjson:3", "lake")).isFalse();
            assertThat(ledger.replayed("dead-letter-2026-12-07.ndjson:4", "index")).isFalse();
        }
        assertThat(Files.readString(data.resolve(ReplayLedger.FILE))).isEqualTo(
                "{\"key\":\"dead-letter-2026-12-07.ndjson:3\",\"sink\":\"index\",\"event_id\":\"id-3\",\"replayed_at\":\"2026-12-07T11:00:00Z\"}\n");
    }

    @Test
    void aMarkCutOffByACrashCountsForNothingAndTheNextMarkStartsOnItsOwnLine() throws Exception {
        Files.writeString(data.resolve(ReplayLedger.FILE), "{\"key\":\"a:1\",\"sink\":\"index\"}\n{\"key\":\"a:2\",\"si",
                StandardCharsets.UTF_8);
        try (ReplayLedger ledger = ReplayLedger.open(data)) {
            assertThat(ledger.replayed("a:1", "index")).isTrue();
            assertThat(ledger.replayed("a:2", "index")).isFalse();
            ledger.mark("a:2", "index", "id-2", Instant.EPOCH);
        }
        try (ReplayLedger ledger = ReplayLedger.open(data)) {
            assertThat(ledger.replayed("a:2", "index")).isTrue();
        }
    }

    @Test
    void aSecondReplayOnTheSameDataFolderIsRefusedWhileTheFirstRuns() throws Exception {
        try (ReplayLedger first = ReplayLedger.open(data)) {
            assertThatThrownBy(() -> ReplayLedger.open(data)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("another replay-dead-letters is running");
        }
    }
}
