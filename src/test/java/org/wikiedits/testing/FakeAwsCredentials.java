package org.wikiedits.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Fake AWS credentials for tests against emulators: set as the {@code aws.accessKeyId} and
 * {@code aws.secretAccessKey} system properties (what the app's default credentials chain reads)
 * until {@link #close}, which puts back what was there before.
 */
public final class FakeAwsCredentials implements AutoCloseable {

    /** The access key and secret the emulators accept. */
    public static final String ACCESS_KEY = "testing";

    private final Map<String, String> previous = new LinkedHashMap<>();

    private FakeAwsCredentials() {
    }

    public static FakeAwsCredentials install() {
        FakeAwsCredentials credentials = new FakeAwsCredentials();
        credentials.set("aws.accessKeyId", ACCESS_KEY);
        credentials.set("aws.secretAccessKey", ACCESS_KEY);
        return credentials;
    }

    /** The same credentials for a client the test builds itself. */
    public static StaticCredentialsProvider provider() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, ACCESS_KEY));
    }

    private void set(String key, String value) {
        previous.putIfAbsent(key, System.getProperty(key));
        System.setProperty(key, value);
    }

    @Override
    public void close() {
        previous.forEach((key, value) -> {
            if (value == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, value);
            }
        });
    }
}
