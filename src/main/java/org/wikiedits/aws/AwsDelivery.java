package org.wikiedits.aws;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * In {@code aws} mode, who moves the events from the producer to the lake and the index
 * ({@code wikiedits.aws.delivery}). Each value has its own route folder, {@code routes/aws/<value>/}.
 */
public enum AwsDelivery {

    /** The seed's design: the app writes to Kinesis; Firehose + Lambdas fill S3 and OpenSearch (at-least-once). */
    FIREHOSE("firehose"),
    /** The app writes to Kinesis and consumes the stream itself into S3 (and the index): effectively exactly-once. */
    CAMEL("camel"),
    /** The app writes to Firehose directly, no Kinesis stream (at-least-once). */
    FIREHOSE_DIRECT("firehose-direct");

    public static final String KEY = "wikiedits.aws.delivery";

    private final String value;

    AwsDelivery(String value) {
        this.value = value;
    }

    /** The setting's value, which is also the name of the delivery's route folder. */
    public String value() {
        return value;
    }

    public static AwsDelivery parse(String value) {
        String wanted = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(d -> d.value.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(KEY + " must be one of "
                        + Arrays.stream(values()).map(AwsDelivery::value).collect(Collectors.joining(", "))
                        + ", not '" + value + "' (set -D" + KEY + "=... or WIKIEDITS_AWS_DELIVERY)"));
    }
}
