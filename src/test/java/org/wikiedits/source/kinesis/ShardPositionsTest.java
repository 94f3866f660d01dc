package org.wikiedits.source.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.commit.CheckpointStore;

class ShardPositionsTest {

    @TempDir
    Path state;

    @Test
    void eachAdvanceReturnsThePositionsOfEveryShardSoFar() {
        ShardPositions positions = new ShardPositions(new CheckpointStore(state, "kinesis:wikiedits"));
        assertThat(positions.advance("shardId-000000000001", "200")).isEqualTo("shardId-000000000001:200");
        assertThat(positions.advance("shardId-000000000000", "100")).isEqualTo("shardId-000000000000:100;shardId-000000000001:200");
        assertThat(positions.advance("shardId-000000000001", "201")).isEqualTo("shardId-000000000000:100;shardId-000000000001:201");
    }

    @Test
    void theCommittedPositionOfAShardIsReadFromTheCheckpoint() {
        CheckpointStore store = new CheckpointStore(state, "kinesis:wikiedits");
        ShardPositions positions = new ShardPositions(store);
        assertThat(positions.committed("shardId-000000000000")).isEmpty();

        store.save(ShardPositions.format(Map.of("shardId-000000000000", "4959", "shardId-000000000001", "4960")));

        assertThat(positions.committed("shardId-000000000000")).contains("4959");
        assertThat(positions.committed("shardId-000000000001")).contains("4960");
        assertThat(positions.committed("shardId-000000000002")).isEmpty();
    }

    @Test
    void theCheckpointOfAnotherStreamIsIgnored() {
        new CheckpointStore(state, "kinesis:other").save("shardId-000000000000:1");
        assertThat(new ShardPositions(new CheckpointStore(state, "kinesis:wikiedits")).committed("shardId-000000000000")).isEmpty();
    }

    @Test
    void aDamagedPositionTextIsReportedNotGuessed() {
        assertThatThrownBy(() -> ShardPositions.parse("shardId-000000000000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a shard position");
    }
}
