package org.wikiedits.wiring;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.aws2.kinesis.Kinesis2Constants;
import org.apache.camel.spi.Registry;
import org.wikiedits.commit.AdmitEvent;
import org.wikiedits.commit.CheckpointStore;
import org.wikiedits.commit.FailedEvent;
import org.wikiedits.sink.index.IndexSink;
import org.wikiedits.sink.index.TestIndexSinks;
import org.wikiedits.sink.lake.LakeFileSystem;
import org.wikiedits.sink.lake.LakeSink;
import org.wikiedits.sink.lake.LakeWriter;
import org.wikiedits.sink.lake.LocalLakeStorage;
import org.wikiedits.sink.lake.S3UploadQueue;
import org.wikiedits.source.kinesis.KinesisRecordIntake;
import org.wikiedits.source.kinesis.ShardPositions;
import org.wikiedits.source.kinesis.ShardResumeStrategy;
import org.wikiedits.testing.RouteFileTestSupport;

/**
 * The routes of {@code wikiedits.aws.delivery=camel} (routes/aws/camel/), with the beans {@link AwsBeans}
 * binds for them: the consumer tracker is the base class's tracker (sinks lake and index), the intake,
 * admission and dead-letter steps are real, the lake sink is the real LakeSink over a local folder (the
 * S3 storage is tested against s3proxy in CamelDeliveryIT), the upload queue is real and the index sink
 * the real IndexSink collecting documents for a batch that the tests never complete. The Kinesis consumer
 * becomes {@code direct:kinesis} and its queue a mock endpoint; records enter the s3-lake route at
 * {@code direct:kinesis-records} as the queue would hand them over. The roll route's timer becomes
 * {@code direct:s3-lake-roll} and its aws2-s3 endpoint {@code mock:aws2-s3}.
 */
abstract class CamelDeliveryRouteTestSupport extends RouteFileTestSupport {

    static final String SHARD = "shardId-000000000000";

    protected LakeWriter lakeWriter;
    protected S3UploadQueue uploads;
    protected IndexSink indexSink;

    @Override
    protected void bindToRegistry(Registry registry) throws Exception {
        super.bindToRegistry(registry);
        CheckpointStore positionsStore = new CheckpointStore(work.resolve("state-kinesis"), "kinesis:wikiedits");
        ShardPositions positions = new ShardPositions(positionsStore);
        lakeWriter = new LakeWriter(new LocalLakeStorage(work.resolve("s3-lake"), LakeFileSystem.DEFAULT), tracker, 60, 64 << 20,
                8, Clock.systemUTC());
        uploads = new S3UploadQueue("lake", 64 << 20, Clock.systemUTC());
        indexSink = TestIndexSinks.collecting(context, tracker, deadLetters);
        registry.bind("consumerTracker", tracker);
        registry.bind("kinesisResume", new ShardResumeStrategy(positions));
        registry.bind("kinesisIntake", new KinesisRecordIntake(positions));
        registry.bind("kinesisAdmit", new AdmitEvent(tracker, deadLetters, stats));
        registry.bind("kinesisFailedEvent", new FailedEvent(tracker, deadLetters, "kinesis-consumer"));
        registry.bind("lakeSink", new LakeSink(lakeWriter));
        registry.bind("s3LakeUploads", uploads);
        registry.bind("indexSink", indexSink);
    }

    /** Loads both files of the delivery; the lake file holds the consumer and the route configurations. */
    protected void loadCamelDeliveryRoutes() throws Exception {
        setProperties("wikiedits.s3.bucket", "lake", "wikiedits.s3.part-size", String.valueOf(5 << 20));
        loadRouteFile("sinks.camel.yaml");
        loadRouteFile("aws/camel/lake.camel.yaml");
        loadRouteFile("aws/camel/index.camel.yaml");
        AdviceWith.adviceWith(context, "kinesis-consumer", route -> {
            route.replaceFromWith("direct:kinesis");
            route.weaveByToUri("seda:kinesis-records").replace().to("mock:kinesis-records");
        });
        AdviceWith.adviceWith(context, "s3-lake-roll", route -> {
            route.replaceFromWith("direct:s3-lake-roll");
            route.weaveByToUri("aws2-s3:*").replace().to("mock:aws2-s3");
        });
        AdviceWith.adviceWith(context, "kinesis-index-flush", route -> route.replaceFromWith("direct:kinesis-index-flush"));
        AdviceWith.adviceWith(context, "kinesis-checkpoint-retry", route -> route.replaceFromWith("direct:kinesis-checkpoint-retry"));
    }

    /** A record as the aws2-kinesis consumer hands it over: the data bytes, its shard and sequence number. */
    protected void sendRecord(String uri, String raw, String sequenceNumber) {
        template.send(uri, exchange -> {
            exchange.getMessage().setBody(raw.getBytes(StandardCharsets.UTF_8));
            exchange.getMessage().setHeader(Kinesis2Constants.SHARD_ID, SHARD);
            exchange.getMessage().setHeader(Kinesis2Constants.SEQUENCE_NUMBER, sequenceNumber);
        });
    }

    @Override
    protected List<String> trackedSinks() {
        return List.of(LakeWriter.SINK, IndexSink.SINK);
    }
}
