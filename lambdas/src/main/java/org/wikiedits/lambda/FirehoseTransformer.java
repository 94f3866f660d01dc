package org.wikiedits.lambda;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.wikiedits.lambda.FirehoseTransformationResponse.Metadata;
import org.wikiedits.lambda.FirehoseTransformationResponse.Result;
import org.wikiedits.transform.MalformedEventException;
import org.wikiedits.transform.RecentChange;
import org.wikiedits.transform.RecentChangeReader;

/**
 * The Firehose data-transformation contract, free of Lambda and Camel: decodes each record, reads
 * it with {@link RecentChangeReader} and answers every {@code recordId} exactly once, in order:
 * <ul>
 *   <li>{@code Ok} with the {@link EventTransformation}'s payload (base64) and partition keys;</li>
 *   <li>{@code Dropped} for canary events ({@code meta.domain == "canary"});</li>
 *   <li>{@code ProcessingFailed} for anything unreadable (bad base64, not UTF-8, not a usable event,
 *       or a mapping that throws), with the original {@code data} returned unchanged so that the
 *       Firehose error output keeps the original bytes.</li>
 * </ul>
 * One bad record never fails the batch: an invocation error would make Firehose retry the whole
 * batch and, after its retries, send every record of it to the error output.
 */
public final class FirehoseTransformer {

    /** At most this many failed records are logged one by one per invocation; the rest are counted. */
    static final int MAX_LOGGED_FAILURES = 10;

    private final EventTransformation transformation;
    private final ObjectMapper mapper;

    public FirehoseTransformer(EventTransformation transformation) {
        if (transformation == null) {
            throw new IllegalArgumentException("No EventTransformation was supplied to FirehoseTransformer");
        }
        this.transformation = transformation;
        this.mapper = new ObjectMapper()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // the Lambda runtime owns both streams
                .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    /**
     * Reads a Firehose transformation event from {@code input} and writes the response JSON to
     * {@code output}. A request that is not a Firehose event at all fails the invocation (IOException).
     *
     * @param log receives one summary line per invocation and the reasons of failed records
     */
    public void transform(InputStream input, OutputStream output, Consumer<String> log) throws IOException {
        FirehoseTransformationRequest request = mapper.readValue(input, FirehoseTransformationRequest.class);
        FirehoseTransformationResponse response = transform(request, log);
        mapper.writeValue(output, response);
        output.flush();
    }

    /** Answers every record of {@code request}, in order. */
    public FirehoseTransformationResponse transform(FirehoseTransformationRequest request, Consumer<String> log) {
        List<FirehoseTransformationResponse.Record> answers = new ArrayList<>(request.records().size());
        Map<Result, Integer> counts = new EnumMap<>(Result.class);
        int loggedFailures = 0;
        for (FirehoseTransformationRequest.Record record : request.records()) {
            FirehoseTransformationResponse.Record answer;
            try {
                answer = transform(record);
            } catch (UnreadableRecordException e) {
                answer = new FirehoseTransformationResponse.Record(
                        record.recordId(), Result.PROCESSING_FAILED, record.data(), null);
                if (loggedFailures++ < MAX_LOGGED_FAILURES) {
                    log.accept("record " + record.recordId() + " ProcessingFailed: " + e.getMessage());
                }
            }
            counts.merge(answer.result(), 1, Integer::sum);
            answers.add(answer);
        }
        int failed = counts.getOrDefault(Result.PROCESSING_FAILED, 0);
        log.accept("invocation " + request.invocationId() + ": " + answers.size() + " records, "
                + counts.getOrDefault(Result.OK, 0) + " Ok, "
                + counts.getOrDefault(Result.DROPPED, 0) + " Dropped, "
                + failed + " ProcessingFailed"
                + (failed > MAX_LOGGED_FAILURES ? " (first " + MAX_LOGGED_FAILURES + " reasons logged)" : ""));
        return new FirehoseTransformationResponse(answers);
    }

    private FirehoseTransformationResponse.Record transform(FirehoseTransformationRequest.Record record)
            throws UnreadableRecordException {
        RecentChange rc = read(record);
        if (rc.isCanary()) {
            return new FirehoseTransformationResponse.Record(record.recordId(), Result.DROPPED, record.data(), null);
        }
        TransformedEvent transformed;
        try {
            transformed = transformation.apply(rc);
        } catch (RuntimeException e) {
            // a mapping bug must not fail the other records of the batch
            throw new UnreadableRecordException("cannot transform event " + rc.eventId() + ": " + e, e);
        }
        String data = Base64.getEncoder().encodeToString(transformed.payload().getBytes(StandardCharsets.UTF_8));
        Metadata metadata = transformed.partitionKeys().isEmpty() ? null : new Metadata(transformed.partitionKeys());
        return new FirehoseTransformationResponse.Record(record.recordId(), Result.OK, data, metadata);
    }

    private static RecentChange read(FirehoseTransformationRequest.Record record) throws UnreadableRecordException {
        if (record.data() == null) {
            throw new UnreadableRecordException("no data", null);
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(record.data());
        } catch (IllegalArgumentException e) {
            throw new UnreadableRecordException("data is not base64: " + e.getMessage(), e);
        }
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new UnreadableRecordException("data is not UTF-8: " + e, e);
        }
        try {
            return RecentChangeReader.read(json);
        } catch (MalformedEventException e) {
            throw new UnreadableRecordException(e.getMessage(), e);
        }
    }

    /** Why a record is answered ProcessingFailed. */
    private static final class UnreadableRecordException extends Exception {
        UnreadableRecordException(String reason, Throwable cause) {
            super(reason, cause);
        }
    }
}
