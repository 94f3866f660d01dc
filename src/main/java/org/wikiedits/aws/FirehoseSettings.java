package org.wikiedits.aws;

import java.net.URI;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.wikiedits.Settings;

/**
 * The {@code wikiedits.firehose.*} settings of {@code wikiedits.aws.delivery=firehose-direct}, read
 * once and validated with messages that say what to set.
 *
 * @param lakeStream    the DirectPut delivery stream whose Lambda writes lake rows to S3
 * @param indexStream   the DirectPut delivery stream whose Lambda writes search documents to OpenSearch
 * @param region        {@code wikiedits.aws.region} as configured (possibly empty: see {@link Regions})
 * @param endpoint      an endpoint override such as moto_server's URL; empty: AWS
 * @param lingerMillis  how long a partial batch may wait before it is sent
 * @param retryBaseMillis first delay before re-sending refused records; doubles up to {@code retryMaxMillis}
 */
public record FirehoseSettings(String lakeStream, String indexStream, String region, Optional<URI> endpoint,
        long lingerMillis, long retryBaseMillis, long retryMaxMillis) {

    /** Firehose delivery stream names: 1 to 64 of letters, digits, '_', '.', '-'. */
    private static final Pattern STREAM = Pattern.compile("[a-zA-Z0-9_.-]{1,64}");

    public static FirehoseSettings from(Function<String, String> lookup) {
        String lake = stream(lookup, "wikiedits.firehose.lake-stream");
        String index = stream(lookup, "wikiedits.firehose.index-stream");
        if (lake.equals(index)) {
            throw new IllegalArgumentException("wikiedits.firehose.lake-stream and wikiedits.firehose.index-stream must name"
                    + " two different delivery streams (one per destination), not both '" + lake + "'");
        }
        return new FirehoseSettings(lake, index, text(lookup, "wikiedits.aws.region"), endpoint(lookup, "wikiedits.firehose.endpoint"),
                positive(lookup, "wikiedits.firehose.linger-ms"), positive(lookup, "wikiedits.firehose.retry-base-ms"),
                positive(lookup, "wikiedits.firehose.retry-max-ms"));
    }

    private static String stream(Function<String, String> lookup, String key) {
        String value = required(lookup, key);
        if (!STREAM.matcher(value).matches()) {
            throw new IllegalArgumentException(key + " must be a Firehose delivery stream name (1 to 64 letters, digits,"
                    + " '_', '.', '-'), not '" + value + "'");
        }
        return value;
    }

    private static String text(Function<String, String> lookup, String key) {
        String value = lookup.apply(key);
        return value == null ? "" : value.trim();
    }

    private static String required(Function<String, String> lookup, String key) {
        String value = text(lookup, key);
        if (value.isEmpty()) {
            throw new IllegalArgumentException("No value for " + key + ": set it in application.properties, as -D" + key
                    + "=... or as the environment variable " + Settings.environmentName(key));
        }
        return value;
    }

    private static long positive(Function<String, String> lookup, String key) {
        String value = required(lookup, key);
        try {
            long number = Long.parseLong(value);
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // the message below says what is expected
        }
        throw new IllegalArgumentException(key + " must be a positive whole number, not '" + value + "'");
    }

    private static Optional<URI> endpoint(Function<String, String> lookup, String key) {
        String value = text(lookup, key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = URI.create(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return Optional.of(uri);
            }
        } catch (IllegalArgumentException e) {
            // the message below says what is expected
        }
        throw new IllegalArgumentException(key + " must be an http(s) URL such as http://127.0.0.1:5000 (or empty: AWS),"
                + " not '" + value + "'");
    }
}
