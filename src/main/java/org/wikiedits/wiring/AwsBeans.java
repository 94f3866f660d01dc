package org.wikiedits.wiring;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikiedits.commit.AdmitEvent;
import org.wikiedits.commit.CheckpointStore;
import org.wikiedits.commit.CommitTracker;
import org.wikiedits.commit.DeadLetterStore;
import org.wikiedits.commit.FailedEvent;
import org.wikiedits.commit.FlushOnStop;
import org.wikiedits.commit.PipelineStats;
import org.wikiedits.commit.SinkHealth;
import org.wikiedits.config.AwsClients;
import org.wikiedits.config.AwsDelivery;
import org.wikiedits.config.AwsSettings;
import org.wikiedits.config.SettingValues;
import org.wikiedits.delivery.CamelServices;
import org.wikiedits.delivery.ClosingService;
import org.wikiedits.sink.firehose.FirehoseBeans;
import org.wikiedits.sink.index.IndexSink;
import org.wikiedits.sink.index.IndexSinkKind;
import org.wikiedits.sink.kinesis.KinesisBeans;
import org.wikiedits.sink.lake.LakeSink;
import org.wikiedits.sink.lake.LakeWriter;
import org.wikiedits.sink.lake.S3LakeStorage;
import org.wikiedits.sink.lake.S3UploadQueue;
import org.wikiedits.source.kinesis.ExpiredIteratorRenewal;
import org.wikiedits.source.kinesis.KinesisRecordIntake;
import org.wikiedits.source.kinesis.ShardPositions;
import org.wikiedits.source.kinesis.ShardResumeStrategy;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The beans of aws mode, called from {@code WikieditsBeans} when {@code wikiedits.mode=aws}.
 *
 * <p>Always: the {@link KinesisClient} (bound as {@code kinesisClient}; the aws2-kinesis component is
 * autowired with it) and the producer behind {@code direct:publish} ({@link KinesisBeans}).
 * With {@code wikiedits.aws.delivery=camel} also: the {@link S3Client} ({@code s3Client}, autowired into
 * aws2-s3), the S3 lake ({@code lakeSink}, as in local mode; also bound as {@code s3LakeSink}, its earlier name: the same {@link LakeWriter} as in local mode over
 * {@link S3LakeStorage}, whose completed files wait in {@code s3LakeUploads} for the route's aws2-s3
 * endpoint), the index ({@code indexSink}, also bound as {@code awsIndexSink}: the local-mode {@link IndexSink} on
 * {@code wikiedits.opensearch.url}, which {@link AwsSettings} requires, with the REST client the
 * {@code opensearch:} component is autowired with), and the consumer side of the stream: {@code kinesisResume},
 * {@code kinesisIntake}, {@code kinesisAdmit}, with their own commit tracker ({@code consumerTracker})
 * whose checkpoint holds the shard positions and waits for both the lake and the index.
 */
public final class AwsBeans {

    private static final Logger LOG = LoggerFactory.getLogger(AwsBeans.class);

    /** The queue of the camel delivery's s3-lake route (routes/aws/camel/lake.camel.yaml). */
    private static final String CAMEL_DELIVERY_QUEUE = "seda:kinesis-records";

    private AwsBeans() {
    }

    /** The sinks the source checkpoint waits for in aws mode: the producer(s) of the delivery. */
    public static List<String> sourceSinks(PropertiesComponent properties) {
        AwsDelivery delivery = AwsDelivery.parse(properties.resolveProperty(AwsDelivery.KEY).orElse(""));
        return delivery.usesKinesis() ? List.of(KinesisBeans.SINK) : FirehoseBeans.SINKS;
    }

    /** Binds the aws beans; returns the sinks for the health check and metrics. */
    public static List<SinkHealth> bind(CamelContext context, CommitTracker sourceTracker, DeadLetterStore deadLetters,
                                        Path dataDir) {
        PropertiesComponent properties = context.getPropertiesComponent();
        AwsSettings settings = AwsSettings.from(key -> properties.resolveProperty(key).orElse(""));
        if (!settings.delivery().usesKinesis()) {
            return FirehoseBeans.bind(context, sourceTracker, deadLetters);
        }
        List<SinkHealth> sinks = new ArrayList<>();

        // the consumer (camel delivery) keeps shard iterators across a long hold-up: renew them when expired
        KinesisClient kinesis = ExpiredIteratorRenewal.wrap(AwsClients.kinesis(settings));
        context.getRegistry().bind("kinesisClient", kinesis);
        CamelServices.register(context, new ClosingService(kinesis));
        sinks.add(KinesisBeans.bind(context, settings, kinesis, sourceTracker, deadLetters));
        LOG.info("aws mode: events go to Kinesis stream {} in {} ({}), delivery {}", settings.stream(), AwsClients.region(settings),
                settings.kinesisEndpoint().map(Object::toString).orElse("AWS endpoint"), settings.delivery().value());

        if (settings.delivery() == AwsDelivery.CAMEL) {
            sinks.addAll(bindCamelDelivery(context, settings, deadLetters, dataDir));
        }
        return sinks;
    }

    /** The consumer side of camel delivery; returns its sinks (the S3 lake and the index). */
    private static List<SinkHealth> bindCamelDelivery(CamelContext context, AwsSettings settings, DeadLetterStore deadLetters,
                                                      Path dataDir) {
        PropertiesComponent properties = context.getPropertiesComponent();
        S3Client s3 = AwsClients.s3(settings);
        context.getRegistry().bind("s3Client", s3);
        CamelServices.register(context, new ClosingService(s3));

        CheckpointStore positionsStore = new CheckpointStore(dataDir.resolve("state").resolve("kinesis-" + settings.stream()),
                "kinesis:" + settings.stream());
        CommitTracker consumerTracker = new CommitTracker(positionsStore, List.of(LakeWriter.SINK, IndexSink.SINK));
        ShardPositions positions = new ShardPositions(positionsStore);

        // up to twice roll-bytes of completed files wait for S3 before the lake holds the consumer back
        SettingValues values = new SettingValues(key -> properties.resolveProperty(key).orElse(null));
        S3UploadQueue uploads = new S3UploadQueue(settings.bucket(), values.number("wikiedits.lake.roll-bytes"),
                Clock.systemUTC());
        LakeWriter writer = LakeWriter.fromSettings(values,
                new S3LakeStorage(s3, settings.bucket(), dataDir.resolve("s3-pending"), uploads), consumerTracker);
        LakeSink lakeSink = new LakeSink(writer);
        CamelServices.register(context, lakeSink);
        IndexSink indexSink = IndexSinkKind.create(context, "seda:kinesis-index", consumerTracker, deadLetters);
        CamelServices.register(context, indexSink);

        context.getRegistry().bind("consumerTracker", consumerTracker);
        context.getRegistry().bind("kinesisResume", new ShardResumeStrategy(positions));
        context.getRegistry().bind("kinesisIntake", new KinesisRecordIntake(positions));
        context.getRegistry().bind("kinesisAdmit", new AdmitEvent(consumerTracker, deadLetters, new PipelineStats()));
        context.getRegistry().bind("kinesisFailedEvent", new FailedEvent(consumerTracker, deadLetters, "kinesis-consumer"));
        // the same bean names as in local mode (the routes come from the same templates); the old names
        // stay bound for route files copied from an earlier version
        context.getRegistry().bind("lakeSink", lakeSink);
        context.getRegistry().bind("s3LakeSink", lakeSink);
        context.getRegistry().bind("s3LakeUploads", uploads);
        context.getRegistry().bind("indexSink", indexSink);
        context.getRegistry().bind("awsIndexSink", indexSink);
        // the last tick, behind the records read so far: s3-lake-roll puts every lake file into S3 before the stop
        context.addLifecycleStrategy(new FlushOnStop(List.of(CAMEL_DELIVERY_QUEUE)));
        LOG.info("Camel delivery: stream {} -> {} and the index at {}, shard positions in {}", settings.stream(), writer.describe(),
                indexSink.endpoint(), positionsStore.file().toAbsolutePath().normalize());
        return List.of(lakeSink, indexSink);
    }
}
