package org.wikiedits.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * In {@code aws} mode, who moves the events from the producer to the lake and the index
 * ({@code wikiedits.aws.delivery}), and which route folders it runs: the Kinesis producer
 * ({@code routes/aws/kinesis/}) and the delivery's own routes ({@code routes/aws/<value>/}).
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

    /** Whether the app produces to the Kinesis stream (every delivery but firehose-direct). */
    public boolean usesKinesis() {
        return this != FIREHOSE_DIRECT;
    }

    /** The route folders under {@code routes/} that this delivery runs, besides the shared ones. */
    public List<String> routeFolders() {
        List<String> folders = new ArrayList<>();
        if (usesKinesis()) {
            folders.add("aws/kinesis");
        }
        if (this != FIREHOSE) {
            folders.add("aws/" + value); // firehose: AWS moves the data, the app has no routes of its own for it
        }
        return folders;
    }

    public static AwsDelivery parse(String value) {
        String wanted = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(d -> d.value.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(KEY + " must be one of "
                        + Arrays.stream(values()).map(AwsDelivery::value).collect(Collectors.joining(", "))
                        + ", not '" + value + "' (set -D" + KEY + "=... or WIKIEDITS_AWS_DELIVERY)"));
    }
}
