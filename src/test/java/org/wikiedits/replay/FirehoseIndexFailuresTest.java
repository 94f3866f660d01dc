package org.wikiedits.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wikiedits.config.ConfiguredSinks;

class FirehoseIndexFailuresTest {

    @Test
    void aDeliveryFailureIsTheSearchDocumentWithTheIdFirehoseMeantToGiveIt() throws IOException {
        Letter letter = FirehoseIndexFailures.letter("s3://lake/errors/index-failed/x:1", fixtureLines("AmazonOpenSearchService-failed.ndjson").get(0));

        assertThat(letter.documentId()).isEqualTo("49655962066601288946458426424331427616786617436993159170000000");
        assertThat(letter.document()).startsWith("{\"@timestamp\":\"2026-12-07T10:15:02.000Z\"").contains("\"title\":\"Zürich\"");
        assertThat(letter.raw()).isNull();
        assertThat(letter.reason()).startsWith("400: ").contains("mapper_parsing_exception");
        assertThat(letter.receivedAt()).as("attemptEndingTimestamp").isEqualTo(Instant.ofEpochMilli(1796638802000L));
        assertThat(letter.sinks()).containsExactly(ConfiguredSinks.INDEX);
    }

    @Test
    void aProcessingFailureIsTheOriginalEventForTheIndexOnly() throws IOException {
        Letter letter = FirehoseIndexFailures.letter("k:1", fixtureLines("processing-failed.ndjson").get(0));

        assertThat(letter.document()).isNull();
        assertThat(letter.raw()).startsWith("{\"$schema\":\"/mediawiki/recentchange/1.0.0\"").contains("\"title\":\"Bern\"");
        assertThat(letter.reason()).startsWith("Lambda.FunctionError: ");
        assertThat(letter.sinks()).containsExactly(ConfiguredSinks.INDEX);
    }

    @Test
    void aLineThatIsNoFirehoseRecordBecomesALetterThatCannotBeRead() {
        Letter letter = FirehoseIndexFailures.letter("k:3", "garbage");

        assertThat(letter.raw()).isEqualTo("garbage");
        assertThat(letter.reason()).isEqualTo("not a Firehose error record");
    }

    @Test
    void aStageBeforeTheSinksSendsToBothAndASinkStageOnlyToItself() {
        assertThat(Letter.event("k", "source", "r", null, "x").sinks()).containsExactlyInAnyOrder("lake", "index");
        assertThat(Letter.event("k", "kinesis-index-bulk", "r", null, "x").sinks()).containsExactly("index");
        assertThat(Letter.event("k", "s3-lake", "r", null, "x").sinks()).containsExactly("lake");
    }

    private static List<String> fixtureLines(String name) throws IOException {
        try (InputStream in = FirehoseIndexFailuresTest.class.getResourceAsStream("/firehose-errors/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
