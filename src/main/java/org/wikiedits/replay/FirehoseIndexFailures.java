package org.wikiedits.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The records Firehose's index stream wrote under {@code errors/index-failed/} of the lake bucket
 * (infra/wikiedits.yaml: S3 backup of failed documents, GZIP), one JSON object a line, in the two
 * shapes AWS documents:
 * <ul>
 *   <li>a delivery failure ({@code AmazonOpenSearchService-failed/}: OpenSearch refused the document,
 *       or it still failed after the retry window): {@code rawData} is the search document (base64),
 *       with {@code esDocumentId}, {@code esIndexName}, {@code errorCode}, {@code errorMessage},
 *       {@code attemptsMade}, {@code arrivalTimestamp}, {@code attemptEndingTimestamp};</li>
 *   <li>a processing failure ({@code processing-failed/}: the search-document Lambda failed): {@code rawData}
 *       is the original record, the event (base64), with {@code lambdaArn}, {@code errorCode},
 *       {@code errorMessage}, {@code attemptsMade}, {@code arrivalTimestamp}, {@code attemptEndingTimestamp}.</li>
 * </ul>
 * The first is indexed as it is with {@code _id} = {@code esDocumentId}; the second is an event, which
 * the replay transforms like a dead letter. A line that is neither is a letter that fails again, with why.
 */
final class FirehoseIndexFailures {

    /** The stage of these letters: Firehose's index stream (so they go to the index only). */
    static final String STAGE = "firehose-index";

    private static final ObjectMapper JSON = new ObjectMapper();

    private FirehoseIndexFailures() {
    }

    /** Every record under {@code location} ({@code s3://bucket/prefix/}), object by object in key order. */
    static List<Letter> read(S3Client s3, URI location) {
        String bucket = location.getHost();
        String prefix = location.getPath().startsWith("/") ? location.getPath().substring(1) : location.getPath();
        List<Letter> letters = new ArrayList<>();
        for (S3Object object : s3.listObjectsV2Paginator(list -> list.bucket(bucket).prefix(prefix)).contents()) {
            if (object.key().endsWith("/")) {
                continue;
            }
            byte[] bytes = s3.getObjectAsBytes(get -> get.bucket(bucket).key(object.key())).asByteArray();
            String text = new String(gunzipped(bytes), StandardCharsets.UTF_8);
            int number = 0;
            for (String line : text.split("\n")) {
                number++;
                if (!line.isBlank()) {
                    letters.add(letter("s3://" + bucket + "/" + object.key() + ":" + number, line));
                }
            }
        }
        return letters;
    }

    /** Parses Firehose: a record as the letter it stands for (see the class comment). */
    static Letter letter(String key, String line) {
        JsonNode record;
        try {
            record = JSON.readTree(line);
        } catch (IOException e) {
            return Letter.event(key, STAGE, "not a Firehose error record", null, line);
        }
        String reason = (record.path("errorCode").asText("") + ": " + record.path("errorMessage").asText("")).trim();
        JsonNode ending = record.has("attemptEndingTimestamp") ? record.get("attemptEndingTimestamp") : record.path("arrivalTimestamp");
        Instant at = ending.canConvertToLong() ? Instant.ofEpochMilli(ending.asLong()) : null;
        String data;
        try {
            data = new String(Base64.getDecoder().decode(record.path("rawData").asText("")), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Letter.event(key, STAGE, reason, at, line);
        }
        if (record.hasNonNull("esDocumentId")) {
            return Letter.searchDocument(key, STAGE, reason, at, record.get("esDocumentId").asText(), data);
        }
        return Letter.event(key, STAGE, reason, at, data);
    }

    /** Firehose compresses the backup (GZIP); a plain object is read as it is. */
    private static byte[] gunzipped(byte[] bytes) {
        if (bytes.length < 2 || (bytes[0] & 0xff) != 0x1f || (bytes[1] & 0xff) != 0x8b) {
            return bytes;
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decompress a Firehose error object: " + e.getMessage(), e);
        }
    }
}
