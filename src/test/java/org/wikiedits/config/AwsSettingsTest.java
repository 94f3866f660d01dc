package org.wikiedits.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AwsSettingsTest {

    private static Map<String, String> defaults() {
        Map<String, String> values = new HashMap<>();
        values.put("wikiedits.aws.delivery", "firehose");
        values.put("wikiedits.kinesis.stream", "wikiedits");
        values.put("wikiedits.kinesis.batch-records", "500");
        values.put("wikiedits.kinesis.batch-bytes", "5242880");
        values.put("wikiedits.kinesis.linger-ms", "250");
        values.put("wikiedits.kinesis.retry-base-ms", "100");
        values.put("wikiedits.kinesis.retry-max-ms", "10000");
        return values;
    }

    @Test
    void theDefaultsDescribeTheKinesisProducerAgainstAws() {
        AwsSettings settings = AwsSettings.from(defaults()::get);
        assertThat(settings.delivery()).isEqualTo(AwsDelivery.FIREHOSE);
        assertThat(settings.kinesisEndpoint()).isEmpty();
        assertThat(settings.batchRecords()).isEqualTo(500);
    }

    @Test
    void aBatchByteLimitBelowTheLargestKinesisRecordIsRejected() {
        Map<String, String> values = defaults();
        values.put("wikiedits.kinesis.batch-bytes", "1048575");
        assertThatThrownBy(() -> AwsSettings.from(values::get))
                .hasMessageContaining("wikiedits.kinesis.batch-bytes must be at least 1048576");

        values.put("wikiedits.kinesis.batch-bytes", "1048576");
        assertThat(AwsSettings.from(values::get).batchBytes()).isEqualTo(1048576);
    }

    @Test
    void endpointOverridesMustBeHttpUrls() {
        Map<String, String> values = defaults();
        values.put("wikiedits.kinesis.endpoint", "http://127.0.0.1:4567");
        assertThat(AwsSettings.from(values::get).kinesisEndpoint()).contains(URI.create("http://127.0.0.1:4567"));

        values.put("wikiedits.s3.endpoint", "127.0.0.1:9000");
        assertThatThrownBy(() -> AwsSettings.from(values::get)).hasMessageContaining("wikiedits.s3.endpoint must be an http(s) URL");
    }

    @Test
    void camelDeliveryNeedsABucket() {
        Map<String, String> values = defaults();
        values.put("wikiedits.aws.delivery", "camel");
        assertThatThrownBy(() -> AwsSettings.from(values::get)).hasMessageContaining("set wikiedits.s3.bucket");
        values.put("wikiedits.s3.bucket", "lake");
        values.put("wikiedits.opensearch.url", "http://127.0.0.1:9200");
        assertThat(AwsSettings.from(values::get).bucket()).isEqualTo("lake");
    }

    @Test
    void camelDeliveryNeedsAnOpenSearchUrlForTheIndex() {
        Map<String, String> values = defaults();
        values.put("wikiedits.aws.delivery", "camel");
        values.put("wikiedits.s3.bucket", "lake");
        assertThatThrownBy(() -> AwsSettings.from(values::get)).hasMessageContaining("set wikiedits.opensearch.url");
        values.put("wikiedits.opensearch.url", "http://127.0.0.1:9200");
        assertThat(AwsSettings.from(values::get).delivery()).isEqualTo(AwsDelivery.CAMEL);
    }

    @Test
    void batchLimitsBeyondWhatPutRecordsAcceptsAreRefused() {
        Map<String, String> values = defaults();
        values.put("wikiedits.kinesis.batch-records", "501");
        assertThatThrownBy(() -> AwsSettings.from(values::get)).hasMessageContaining("at most 500");
        values.put("wikiedits.kinesis.batch-records", "0");
        assertThatThrownBy(() -> AwsSettings.from(values::get)).hasMessageContaining("must be a positive whole number, not '0'");
    }
}
