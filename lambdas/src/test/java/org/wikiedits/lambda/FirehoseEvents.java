package org.wikiedits.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Test support for the Firehose handlers: the AWS-shaped fixture event, events built from the
 * recorded samples, a Lambda {@link Context} stand-in, and reading responses as plain JSON so that
 * the tests check the wire names ({@code recordId}, {@code result}, {@code data},
 * {@code metadata.partitionKeys}) rather than our own Java types.
 */
final class FirehoseEvents {

    static final ObjectMapper JSON = new ObjectMapper();

    /** A record Firehose would pass through but RecentChangeReader cannot read: not JSON at all. */
    static final String NOT_JSON = "{\"meta\":{\"id\":\"x\",\"dt\":\"2026-08-05T00:00:02";

    /** A canary event as Wikimedia injects them (meta.domain "canary"). */
    static final String CANARY = "{\"$schema\":\"/mediawiki/recentchange/1.0.0\",\"meta\":{\"uri\":\"https://canary/Nonexistent\","
            + "\"id\":\"0a1b2c3d-0000-4000-8000-000000000001\",\"dt\":\"2026-08-05T10:15:00.000Z\",\"domain\":\"canary\","
            + "\"stream\":\"mediawiki.recentchange\"},\"type\":\"edit\",\"namespace\":0,\"title\":\"Nonexistent\","
            + "\"server_name\":\"canary\",\"wiki\":\"canarywiki\",\"user\":\"Canary\",\"bot\":false}";

    private FirehoseEvents() {
    }

    /** The AWS-shaped fixture (sample event "kinesis-firehose", Kinesis stream as source). */
    static byte[] fixture() {
        try (InputStream in = FirehoseEvents.class.getResourceAsStream("/firehose/kinesis-firehose-event.json")) {
            assertThat(in).as("test resource /firehose/kinesis-firehose-event.json").isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Firehose transformation event whose records carry {@code payloads} (raw bytes), ids "r0", "r1", ... */
    static byte[] eventOf(List<byte[]> payloads) {
        ObjectNode event = JSON.createObjectNode()
                .put("invocationId", "test-invocation")
                .put("sourceKinesisStreamArn", "arn:aws:kinesis:us-east-1:123456789012:stream/wikiedits")
                .put("deliveryStreamArn", "arn:aws:firehose:us-east-1:123456789012:deliverystream/wikiedits-test")
                .put("region", "us-east-1");
        ArrayNode records = event.putArray("records");
        for (int i = 0; i < payloads.size(); i++) {
            records.addObject()
                    .put("recordId", "r" + i)
                    .put("approximateArrivalTimestamp", 1785888003000L + i)
                    .put("data", Base64.getEncoder().encodeToString(payloads.get(i)));
        }
        try {
            return JSON.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static List<byte[]> utf8(List<String> texts) {
        List<byte[]> bytes = new ArrayList<>(texts.size());
        texts.forEach(t -> bytes.add(utf8(t)));
        return bytes;
    }

    /** Runs {@code handler} the way the Lambda runtime does (streams in, stream out). */
    static JsonNode invoke(RequestStreamHandler handler, byte[] event, TestContext context) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(event), out, context);
            return JSON.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode invoke(RequestStreamHandler handler, byte[] event) {
        return invoke(handler, event, new TestContext());
    }

    /** The request's record ids, in order. */
    static List<String> recordIds(byte[] event) {
        try {
            List<String> ids = new ArrayList<>();
            JSON.readTree(event).path("records").forEach(r -> ids.add(r.path("recordId").asText()));
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The request records' data fields (base64), in order. */
    static List<String> datas(byte[] event) {
        try {
            List<String> data = new ArrayList<>();
            JSON.readTree(event).path("records").forEach(r -> data.add(r.path("data").asText()));
            return data;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> answeredIds(JsonNode response) {
        List<String> ids = new ArrayList<>();
        response.path("records").forEach(r -> ids.add(r.path("recordId").asText()));
        return ids;
    }

    static List<String> results(JsonNode response) {
        List<String> results = new ArrayList<>();
        response.path("records").forEach(r -> results.add(r.path("result").asText()));
        return results;
    }

    static String decode(JsonNode answer) {
        return new String(Base64.getDecoder().decode(answer.path("data").asText()), StandardCharsets.UTF_8);
    }

    /** The lake partition of a raw event, computed here independently of the code under test. */
    static Map<String, String> expectedPartition(String rawEvent) {
        try {
            OffsetDateTime dt = OffsetDateTime.parse(JSON.readTree(rawEvent).path("meta").path("dt").asText())
                    .withOffsetSameInstant(ZoneOffset.UTC);
            return Map.of("dt", dt.format(DateTimeFormatter.ISO_LOCAL_DATE),
                    "hour", String.format("%02d", dt.getHour()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Lambda context that collects what the handler logs. */
    static final class TestContext implements Context {
        final List<String> logLines = new ArrayList<>();

        private final LambdaLogger logger = new LambdaLogger() {
            @Override
            public void log(String message) {
                logLines.add(message);
            }

            @Override
            public void log(byte[] message) {
                logLines.add(new String(message, StandardCharsets.UTF_8));
            }
        };

        @Override
        public String getAwsRequestId() {
            return "test-request";
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/test";
        }

        @Override
        public String getLogStreamName() {
            return "test";
        }

        @Override
        public String getFunctionName() {
            return "test";
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:123456789012:function:test";
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return 60_000;
        }

        @Override
        public int getMemoryLimitInMB() {
            return 512;
        }

        @Override
        public LambdaLogger getLogger() {
            return logger;
        }
    }
}
