package org.wikiedits.sink.firehose;

import java.net.URI;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.wikiedits.config.SettingValues;

/**
 * The {@code wikiedits.firehose.*} settings of {@code wikiedits.aws.delivery=firehose-direct}, read
 * once and validated with messages that say what to set.
 *
 * @param lakeStream    the DirectPut delivery stream whose Lambda writes lake rows to S3
 * @param indexStream   the DirectPut delivery stream whose Lambda writes search documents to OpenSearch
 * @param region        {@code wikiedits.aws.region} as configured (possibly empty: see {@link org.wikiedits.config.Regions})
 * @param endpoint      an endpoint override such as moto_server's URL; empty: AWS
 * @param lingerMillis  how long a partial batch may wait before it is sent
 * @param retryBaseMillis first delay before re-sending refused records; doubles up to {@code retryMaxMillis}
 */
public record FirehoseSettings(String lakeStream, String indexStream, String region, Optional<URI> endpoint,
        long lingerMillis, long retryBaseMillis, long retryMaxMillis) {

    /** Firehose delivery stream names: 1 to 64 of letters, digits, '_', '.', '-'. */
    private static final Pattern STREAM = Pattern.compile("[a-zA-Z0-9_.-]{1,64}");
    private static final String ENDPOINT_EXAMPLE = "http://127.0.0.1:5000 (or empty: AWS)";

    public static FirehoseSettings from(Function<String, String> lookup) {
        SettingValues read = new SettingValues(lookup);
        String lake = stream(read, "wikiedits.firehose.lake-stream");
        String index = stream(read, "wikiedits.firehose.index-stream");
        if (lake.equals(index)) {
            throw new IllegalArgumentException("wikiedits.firehose.lake-stream and wikiedits.firehose.index-stream must name"
                    + " two different delivery streams (one per destination), not both '" + lake + "'");
        }
        return new FirehoseSettings(lake, index, read.text("wikiedits.aws.region"),
                read.httpUrl("wikiedits.firehose.endpoint", ENDPOINT_EXAMPLE), read.positive("wikiedits.firehose.linger-ms"),
                read.positive("wikiedits.firehose.retry-base-ms"), read.positive("wikiedits.firehose.retry-max-ms"));
    }

    private static String stream(SettingValues read, String key) {
        String value = read.required(key);
        if (!STREAM.matcher(value).matches()) {
            throw new IllegalArgumentException(key + " must be a Firehose delivery stream name (1 to 64 letters, digits,"
                    + " '_', '.', '-'), not '" + value + "'");
        }
        return value;
    }
}
