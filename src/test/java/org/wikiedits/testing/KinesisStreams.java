package org.wikiedits.testing;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/** Test-side Kinesis access: credentials for the app's default chain, stream creation, reading a stream back. */
public final class KinesisStreams {

    private KinesisStreams() {
    }

    /** Dummy credentials and no instance metadata lookups, so the default AWS chain never leaves loopback. */
    public static void useTestCredentials() {
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        System.setProperty("aws.disableEc2Metadata", "true");
    }

    /** A client of the test itself (JSON protocol, as kinesalite needs). */
    public static KinesisClient client(URI endpoint) {
        String property = SdkSystemSetting.CBOR_ENABLED.property();
        synchronized (KinesisStreams.class) {
            String previous = System.getProperty(property);
            System.setProperty(property, "false");
            try {
                return KinesisClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                        .credentialsProvider(FakeAwsCredentials.provider()).build();
            } finally {
                if (previous == null) {
                    System.clearProperty(property);
                } else {
                    System.setProperty(property, previous);
                }
            }
        }
    }

    public static void create(KinesisClient kinesis, String stream, int shards) {
        kinesis.createStream(b -> b.streamName(stream).shardCount(shards));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                kinesis.describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE);
    }

    /** Every record in every shard, from the start. */
    public static List<Record> readAll(KinesisClient kinesis, String stream) {
        List<Record> records = new ArrayList<>();
        for (Shard shard : kinesis.listShards(b -> b.streamName(stream)).shards()) {
            records.addAll(readShard(kinesis, stream, shard.shardId()));
        }
        return records;
    }

    public static List<Record> readShard(KinesisClient kinesis, String stream, String shardId) {
        List<Record> records = new ArrayList<>();
        String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shardId)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        while (iterator != null) {
            String current = iterator;
            GetRecordsResponse response = kinesis.getRecords(b -> b.shardIterator(current).limit(10_000));
            records.addAll(response.records());
            if (response.records().isEmpty()) {
                break;
            }
            iterator = response.nextShardIterator();
        }
        return records;
    }
}
