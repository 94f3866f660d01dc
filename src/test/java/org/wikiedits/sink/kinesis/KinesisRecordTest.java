package org.wikiedits.sink.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KinesisRecordTest {

    @Test
    void partitionKeysAreTheHexMd5OfTheEventId() {
        assertThat(KinesisRecord.partitionKeyOf("abc")).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
        assertThat(KinesisRecord.partitionKeyOf("7a4f3c1e-0000-4000-8000-000000000001"))
                .hasSize(32).isNotEqualTo(KinesisRecord.partitionKeyOf("7a4f3c1e-0000-4000-8000-000000000002"));
    }
}
