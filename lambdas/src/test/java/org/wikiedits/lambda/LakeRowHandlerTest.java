package org.wikiedits.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.wikiedits.lambda.FirehoseEvents.CANARY;
import static org.wikiedits.lambda.FirehoseEvents.NOT_JSON;
import static org.wikiedits.lambda.FirehoseEvents.answeredIds;
import static org.wikiedits.lambda.FirehoseEvents.datas;
import static org.wikiedits.lambda.FirehoseEvents.decode;
import static org.wikiedits.lambda.FirehoseEvents.eventOf;
import static org.wikiedits.lambda.FirehoseEvents.expectedPartition;
import static org.wikiedits.lambda.FirehoseEvents.invoke;
import static org.wikiedits.lambda.FirehoseEvents.recordIds;
import static org.wikiedits.lambda.FirehoseEvents.results;
import static org.wikiedits.lambda.FirehoseEvents.utf8;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wikiedits.testing.Samples;
import org.wikiedits.transform.CsvRow;
import org.wikiedits.transform.MalformedEventException;
import org.wikiedits.transform.RecentChangeReader;

class LakeRowHandlerTest {

    private final LakeRowHandler handler = new LakeRowHandler();

    @Test
    void everyRecordOfTheAwsShapedEventIsAnsweredOnceInOrderWithItsExpectedResult() {
        byte[] event = FirehoseEvents.fixture();

        JsonNode response = invoke(handler, event);

        assertThat(answeredIds(response)).containsExactlyElementsOf(recordIds(event)).doesNotHaveDuplicates();
        // edit, log, canary, truncated JSON, event without meta.dt
        assertThat(results(response)).containsExactly("Ok", "Ok", "Dropped", "ProcessingFailed", "ProcessingFailed");
    }

    @Test
    void okRecordsCarryTheSharedCsvRowAndTheEventHourInUtcAsPartitionKeys() throws Exception {
        byte[] event = FirehoseEvents.fixture();
        List<String> originals = datas(event);

        JsonNode records = invoke(handler, event).path("records");

        for (int i = 0; i < 2; i++) {
            String original = new String(Base64.getDecoder().decode(originals.get(i)), StandardCharsets.UTF_8);
            // one row per record: S3 objects are the concatenation of records, so exactly one line end, at the end
            assertThat(decode(records.get(i))).isEqualTo(CsvRow.of(RecentChangeReader.read(original)))
                    .endsWith("\n").containsOnlyOnce("\n").doesNotContain("\r");
        }
        // the fixture's edit is the last millisecond of 4 August, its log event the first of 5 August
        assertThat(partitionKeys(records.get(0))).isEqualTo(Map.of("dt", "2026-08-04", "hour", "23"));
        assertThat(partitionKeys(records.get(1))).isEqualTo(Map.of("dt", "2026-08-05", "hour", "00"));
    }

    @Test
    void droppedAndFailedRecordsReturnTheOriginalDataUnchangedAndNoPartitionKeys() {
        byte[] event = FirehoseEvents.fixture();
        List<String> originals = datas(event);

        JsonNode records = invoke(handler, event).path("records");

        for (int i = 2; i < 5; i++) {
            assertThat(records.get(i).path("data").asText()).isEqualTo(originals.get(i));
            assertThat(records.get(i).has("metadata")).as("metadata of %s", records.get(i)).isFalse();
        }
    }

    @Test
    void theResponseUsesExactlyTheFirehoseFieldNames() {
        JsonNode response = invoke(handler, FirehoseEvents.fixture());

        assertThat(response.fieldNames()).toIterable().containsExactly("records");
        assertThat(response.path("records").get(0).fieldNames()).toIterable()
                .containsExactly("recordId", "result", "data", "metadata");
        assertThat(response.path("records").get(0).path("metadata").fieldNames()).toIterable()
                .containsExactly("partitionKeys");
        assertThat(response.path("records").get(3).fieldNames()).toIterable()
                .containsExactly("recordId", "result", "data");
    }

    @Test
    void recordedSampleEventsBecomeTheirCsvRowsBesideACanaryAndUnreadableRecords() throws Exception {
        for (Map.Entry<String, List<String>> file : Samples.byFileName().entrySet()) {
            List<String> lines = file.getValue();
            // Firehose buffers at most a few MB per invocation: send the file in batches of 500
            for (int from = 0; from < lines.size(); from += 500) {
                List<String> batch = lines.subList(from, Math.min(lines.size(), from + 500));
                List<byte[]> payloads = new ArrayList<>(utf8(batch));
                payloads.add(utf8(CANARY));
                payloads.add(utf8(NOT_JSON));
                payloads.add(new byte[] {'{', (byte) 0xff, (byte) 0xfe, '}'}); // not UTF-8
                byte[] event = eventOf(payloads);

                JsonNode response = invoke(handler, event);

                assertThat(answeredIds(response)).as(file.getKey()).containsExactlyElementsOf(recordIds(event));
                JsonNode records = response.path("records");
                for (int i = 0; i < batch.size(); i++) {
                    String original = batch.get(i);
                    JsonNode answer = records.get(i);
                    assertThat(answer.path("result").asText()).as("%s line %d", file.getKey(), from + i + 1).isEqualTo("Ok");
                    assertThat(decode(answer)).isEqualTo(CsvRow.of(RecentChangeReader.read(original)));
                    assertThat(partitionKeys(answer)).isEqualTo(expectedPartition(original));
                }
                List<String> originals = datas(event);
                int n = batch.size();
                assertThat(results(response).subList(n, n + 3)).containsExactly("Dropped", "ProcessingFailed", "ProcessingFailed");
                for (int i = n; i < n + 3; i++) {
                    assertThat(records.get(i).path("data").asText()).isEqualTo(originals.get(i));
                }
            }
        }
    }

    @Test
    void dataThatIsNotBase64IsAnsweredProcessingFailedWithTheDataAsSent() throws Exception {
        String event = "{\"invocationId\":\"i\",\"deliveryStreamArn\":\"arn\",\"region\":\"us-east-1\",\"records\":["
                + "{\"recordId\":\"a\",\"approximateArrivalTimestamp\":1,\"data\":\"not base64!\"}]}";

        JsonNode answer = invoke(handler, utf8(event)).path("records").get(0);

        assertThat(answer.path("recordId").asText()).isEqualTo("a");
        assertThat(answer.path("result").asText()).isEqualTo("ProcessingFailed");
        assertThat(answer.path("data").asText()).isEqualTo("not base64!");
    }

    @Test
    void theSummaryAndTheReasonsOfFailedRecordsAreLogged() {
        FirehoseEvents.TestContext context = new FirehoseEvents.TestContext();

        invoke(handler, FirehoseEvents.fixture(), context);

        assertThat(context.logLines).anySatisfy(line -> assertThat(line)
                .contains("5d7c1e2a-8f3b-4a6d-9e0c-1b2f3a4c5d6e")
                .contains("5 records, 2 Ok, 1 Dropped, 2 ProcessingFailed"));
        assertThat(context.logLines).anySatisfy(line -> assertThat(line)
                .contains("49654000000000000000000000000000000000000000000000000005000000")
                .contains("missing meta.dt"));
    }

    @Test
    void aRequestThatIsNotAFirehoseEventFailsTheInvocation() {
        assertThatThrownBy(() -> handler.handleRequest(
                new ByteArrayInputStream(utf8("not json")), new ByteArrayOutputStream(), new FirehoseEvents.TestContext()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void theFixtureCanaryIsReadableSoItIsDroppedForBeingACanaryNotForBeingUnreadable() throws MalformedEventException {
        assertThat(RecentChangeReader.read(CANARY).isCanary()).isTrue();
    }

    private static Map<String, String> partitionKeys(JsonNode answer) {
        Map<String, String> keys = new HashMap<>();
        answer.path("metadata").path("partitionKeys").fields()
                .forEachRemaining(e -> keys.put(e.getKey(), e.getValue().asText()));
        return keys;
    }
}
