package org.wikiedits.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LakePartitionTest {

    @Test
    void partitionKeysAreTheUtcDateAndTwoDigitHour() {
        assertThat(LakePartition.keys(Instant.parse("2026-01-02T03:04:05.678Z")))
                .isEqualTo(Map.of("dt", "2026-01-02", "hour", "03"));
    }

    @Test
    void thePathJoinsTheKeysInHiveStyle() {
        assertThat(LakePartition.path(Instant.parse("2026-12-31T23:59:59.999Z"))).isEqualTo("dt=2026-12-31/hour=23");
        assertThat(LakePartition.path(Instant.parse("2027-01-01T00:00:00Z"))).isEqualTo("dt=2027-01-01/hour=00");
    }
}
