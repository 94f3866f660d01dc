package org.wikiedits.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wikiedits.lambda.FirehoseTransformationResponse.Result;

class FirehoseTransformerTest {

    private static final String EDIT = "{\"meta\":{\"id\":\"%s\",\"dt\":\"2026-08-04T15:24:29.724Z\",\"domain\":\"en.wikipedia.org\"},"
            + "\"type\":\"edit\",\"title\":\"%s\"}";

    @Test
    void aMappingThatThrowsFailsOnlyItsOwnRecord() {
        FirehoseTransformer transformer = new FirehoseTransformer(rc -> {
            if (rc.title().equals("boom")) {
                throw new IllegalStateException("mapping bug");
            }
            return new TransformedEvent(rc.title(), Map.of());
        });
        FirehoseTransformationRequest request = request(
                String.format(EDIT, "id-1", "fine"), String.format(EDIT, "id-2", "boom"), String.format(EDIT, "id-3", "also fine"));

        FirehoseTransformationResponse response = transformer.transform(request, line -> { });

        assertThat(response.records()).extracting(FirehoseTransformationResponse.Record::result)
                .containsExactly(Result.OK, Result.PROCESSING_FAILED, Result.OK);
        assertThat(response.records().get(1).data()).isEqualTo(request.records().get(1).data());
    }

    @Test
    void anEmptyBatchIsAnsweredWithNoRecords() {
        FirehoseTransformationResponse response = new FirehoseTransformer(new LakeRowTransformation())
                .transform(new FirehoseTransformationRequest("i", "arn", null, "us-east-1", null), line -> { });

        assertThat(response.records()).isEmpty();
    }

    @Test
    void aRecordWithoutDataIsAnsweredProcessingFailed() {
        FirehoseTransformationRequest request = new FirehoseTransformationRequest("i", "arn", null, "us-east-1",
                List.of(new FirehoseTransformationRequest.Record("a", 1L, null, null)));

        FirehoseTransformationResponse response = new FirehoseTransformer(new LakeRowTransformation()).transform(request, line -> { });

        assertThat(response.records()).singleElement().satisfies(r -> {
            assertThat(r.recordId()).isEqualTo("a");
            assertThat(r.result()).isEqualTo(Result.PROCESSING_FAILED);
        });
    }

    @Test
    void onlyTheFirstFailuresAreLoggedOneByOneAndAllAreCounted() {
        List<String> garbage = new ArrayList<>();
        for (int i = 0; i < FirehoseTransformer.MAX_LOGGED_FAILURES + 5; i++) {
            garbage.add("garbage " + i);
        }
        List<String> log = new ArrayList<>();

        new FirehoseTransformer(new LakeRowTransformation()).transform(request(garbage.toArray(String[]::new)), log::add);

        assertThat(log).filteredOn(line -> line.contains("ProcessingFailed: ")).hasSize(FirehoseTransformer.MAX_LOGGED_FAILURES);
        assertThat(log).last().asString().contains("0 Ok, 0 Dropped, 15 ProcessingFailed");
    }

    @Test
    void aTransformerNeedsATransformation() {
        assertThatThrownBy(() -> new FirehoseTransformer(null)).hasMessageContaining("No EventTransformation");
    }

    private static FirehoseTransformationRequest request(String... payloads) {
        List<FirehoseTransformationRequest.Record> records = new ArrayList<>();
        for (int i = 0; i < payloads.length; i++) {
            records.add(new FirehoseTransformationRequest.Record("r" + i, 1L,
                    Base64.getEncoder().encodeToString(payloads[i].getBytes(StandardCharsets.UTF_8)), null));
        }
        return new FirehoseTransformationRequest("i", "arn", null, "us-east-1", records);
    }
}
