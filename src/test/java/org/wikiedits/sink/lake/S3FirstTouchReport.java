package org.wikiedits.sink.lake;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.wikiedits.source.generator.SyntheticEvents;
import org.wikiedits.testing.FakeAwsCredentials;
import org.wikiedits.testing.S3ProxyServer;
import org.wikiedits.transform.CsvRow;
import org.wikiedits.transform.LakePartition;
import org.wikiedits.transform.RecentChangeReader;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A report, not a test: what the first touch of a partition costs the lake writer with camel
 * delivery, where {@link S3LakeStorage#committedIds} lists the partition's objects (one LIST per
 * 1,000 keys) and reads every one (one GET each) before the first event of that hour is written.
 * It fills one hour as the live stream would (about 115,000 events, a file committed every
 * roll-seconds = 60, so some 60 objects) in s3proxy, then times the rebuild and counts the requests.
 * s3proxy answers from memory on loopback: real S3 adds its per-request latency to each call.
 * <pre>
 * ./mvnw -q -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) org.wikiedits.sink.lake.S3FirstTouchReport [events] [files]
 * </pre>
 */
public final class S3FirstTouchReport {

    private S3FirstTouchReport() {
    }

    /** Counts the S3 operations the client makes, by name. */
    private static final class Requests implements ExecutionInterceptor {
        final AtomicLong lists = new AtomicLong();
        final AtomicLong gets = new AtomicLong();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            if (operation.startsWith("ListObjects")) {
                lists.incrementAndGet();
            } else if (operation.equals("GetObject")) {
                gets.incrementAndGet();
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 115_000;
        int files = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        Instant hour = Instant.parse("2026-11-30T10:00:00Z");
        String partition = LakePartition.path(hour);
        Path pending = Files.createTempDirectory("s3-first-touch");
        Requests requests = new Requests();
        try (S3ProxyServer proxy = S3ProxyServer.start();
                S3Client s3 = S3Client.builder().endpointOverride(proxy.endpoint()).forcePathStyle(true)
                        .region(Region.US_EAST_1).credentialsProvider(FakeAwsCredentials.provider())
                        .overrideConfiguration(c -> c.addExecutionInterceptor(requests)).build()) {
            s3.createBucket(b -> b.bucket("lake"));
            long bytes = 0;
            int perFile = (events + files - 1) / files;
            for (int f = 0; f < files; f++) {
                ByteArrayOutputStream file = new ByteArrayOutputStream();
                for (int i = f * perFile; i < Math.min(events, (f + 1) * perFile); i++) {
                    Instant dt = hour.plusMillis(3_600_000L * i / events);
                    file.write(CsvRow.of(RecentChangeReader.read(SyntheticEvents.event(i + 1, dt))).getBytes(StandardCharsets.UTF_8));
                }
                String key = S3LakeStorage.key(partition, "part-" + f + ".csv");
                s3.putObject(b -> b.bucket("lake").key(key),
                        RequestBody.fromBytes(file.toByteArray()));
                bytes += file.size();
            }
            System.out.printf("partition %s: %,d rows in %d objects, %,.1f MiB%n", partition, events, files, bytes / 1048576.0);
            for (int round = 1; round <= 3; round++) { // the first round includes class loading and JIT warm-up
                requests.lists.set(0);
                requests.gets.set(0);
                long start = System.nanoTime();
                EventIdSet ids = new S3LakeStorage(s3, "lake", pending, new S3UploadQueue("lake", 64L << 20, Clock.systemUTC()))
                        .committedIds(partition);
                long millis = (System.nanoTime() - start) / 1_000_000;
                if (ids.size() != events) {
                    throw new IllegalStateException("read " + ids.size() + " ids, wrote " + events);
                }
                System.out.printf("first touch, round %d: %,d ids in %,d ms, %d LIST + %d GET requests%n",
                        round, ids.size(), millis, requests.lists.get(), requests.gets.get());
            }
        }
    }
}
