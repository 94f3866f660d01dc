package org.wikiedits.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wikiedits.lambda.FirehoseEvents.CANARY;
import static org.wikiedits.lambda.FirehoseEvents.NOT_JSON;
import static org.wikiedits.lambda.FirehoseEvents.answeredIds;
import static org.wikiedits.lambda.FirehoseEvents.datas;
import static org.wikiedits.lambda.FirehoseEvents.decode;
import static org.wikiedits.lambda.FirehoseEvents.eventOf;
import static org.wikiedits.lambda.FirehoseEvents.invoke;
import static org.wikiedits.lambda.FirehoseEvents.recordIds;
import static org.wikiedits.lambda.FirehoseEvents.results;
import static org.wikiedits.lambda.FirehoseEvents.utf8;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wikiedits.testing.Samples;
import org.wikiedits.transform.RecentChangeReader;
import org.wikiedits.transform.SearchDocument;

class SearchDocumentHandlerTest {

    private final SearchDocumentHandler handler = new SearchDocumentHandler();

    @Test
    void everyRecordOfTheAwsShapedEventIsAnsweredOnceInOrderWithItsExpectedResult() {
        byte[] event = FirehoseEvents.fixture();

        JsonNode response = invoke(handler, event);

        assertThat(answeredIds(response)).containsExactlyElementsOf(recordIds(event)).doesNotHaveDuplicates();
        assertThat(results(response)).containsExactly("Ok", "Ok", "Dropped", "ProcessingFailed", "ProcessingFailed");
    }

    @Test
    void okRecordsCarryExactlyTheSharedSearchDocumentOnOneLineWithoutPartitionKeys() throws Exception {
        byte[] event = FirehoseEvents.fixture();
        List<String> originals = datas(event);

        JsonNode records = invoke(handler, event).path("records");

        for (int i = 0; i < 2; i++) {
            String original = new String(Base64.getDecoder().decode(originals.get(i)), StandardCharsets.UTF_8);
            // the fixture's edit comment contains a line break: it must stay escaped inside the one line
            assertThat(decode(records.get(i))).isEqualTo(SearchDocument.toJson(RecentChangeReader.read(original)))
                    .doesNotContain("\n", "\r");
            assertThat(records.get(i).has("metadata")).isFalse();
        }
        assertThat(FirehoseEvents.JSON.readTree(decode(records.get(0))).path("comment").asText()).contains("\n");
    }

    @Test
    void droppedAndFailedRecordsReturnTheOriginalDataUnchanged() {
        byte[] event = FirehoseEvents.fixture();
        List<String> originals = datas(event);

        JsonNode records = invoke(handler, event).path("records");

        for (int i = 2; i < 5; i++) {
            assertThat(records.get(i).path("data").asText()).isEqualTo(originals.get(i));
        }
    }

    @Test
    void recordedSampleEventsBecomeTheirSearchDocumentsBesideACanaryAndAnUnreadableRecord() throws Exception {
        for (Map.Entry<String, List<String>> file : Samples.byFileName().entrySet()) {
            List<String> lines = file.getValue();
            for (int from = 0; from < lines.size(); from += 500) {
                List<String> batch = lines.subList(from, Math.min(lines.size(), from + 500));
                List<byte[]> payloads = new ArrayList<>(utf8(batch));
                payloads.add(utf8(CANARY));
                payloads.add(utf8(NOT_JSON));
                byte[] event = eventOf(payloads);

                JsonNode response = invoke(handler, event);

                assertThat(answeredIds(response)).as(file.getKey()).containsExactlyElementsOf(recordIds(event));
                JsonNode records = response.path("records");
                for (int i = 0; i < batch.size(); i++) {
                    assertThat(records.get(i).path("result").asText()).as("%s line %d", file.getKey(), from + i + 1).isEqualTo("Ok");
                    assertThat(decode(records.get(i))).isEqualTo(SearchDocument.toJson(RecentChangeReader.read(batch.get(i))));
                }
                int n = batch.size();
                assertThat(results(response).subList(n, n + 2)).containsExactly("Dropped", "ProcessingFailed");
                assertThat(records.get(n + 1).path("data").asText()).isEqualTo(datas(event).get(n + 1));
            }
        }
    }
}
