package org.wikiedits.config;

import java.net.URI;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Builds the SDK clients of aws mode: credentials from the default AWS chain (environment, system
 * properties, profile, container or instance role), the region from {@code wikiedits.aws.region}, else
 * the AWS chain, else us-east-1, and an endpoint override for local stand-ins (kinesalite, s3proxy).
 */
public final class AwsClients {

    private static final Logger LOG = LoggerFactory.getLogger(AwsClients.class);

    private AwsClients() {
    }

    /** The region of every client: see {@link Regions#resolve(String)}. */
    public static Region region(AwsSettings settings) {
        return Regions.resolve(settings.region());
    }

    /**
     * The Kinesis client. With an endpoint override (kinesalite) CBOR is switched off: kinesalite
     * speaks JSON only. The SDK reads {@code aws.cborEnabled} once, when the client is built, so the
     * property is set around the build and restored, leaving other clients of the JVM alone.
     */
    public static KinesisClient kinesis(AwsSettings settings) {
        KinesisClientBuilder builder = KinesisClient.builder()
                .region(region(settings))
                .credentialsProvider(DefaultCredentialsProvider.builder().build());
        settings.kinesisEndpoint().ifPresent(builder::endpointOverride);
        if (settings.kinesisEndpoint().isEmpty()) {
            return builder.build();
        }
        String property = SdkSystemSetting.CBOR_ENABLED.property();
        synchronized (AwsClients.class) {
            String previous = System.getProperty(property);
            System.setProperty(property, "false");
            try {
                return builder.build();
            } finally {
                if (previous == null) {
                    System.clearProperty(property);
                } else {
                    System.setProperty(property, previous);
                }
            }
        }
    }

    /** The S3 client; with an endpoint override (s3proxy, MinIO) path-style addressing is used. */
    public static S3Client s3(AwsSettings settings) {
        S3ClientBuilder builder = S3Client.builder()
                .region(region(settings))
                .credentialsProvider(DefaultCredentialsProvider.builder().build());
        Optional<URI> endpoint = settings.s3Endpoint();
        endpoint.ifPresent(uri -> builder.endpointOverride(uri).forcePathStyle(true));
        return builder.build();
    }
}
