package org.wikiedits.config;

import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * The region of every AWS client: {@code wikiedits.aws.region} when set, else the AWS chain
 * ({@code AWS_REGION}, {@code -Daws.region}, profile, instance metadata), else us-east-1.
 */
public final class Regions {

    private static final Logger LOG = LoggerFactory.getLogger(Regions.class);
    static final Region FALLBACK = Region.US_EAST_1;

    private Regions() {
    }

    /** The region for {@code configured} (the value of {@code wikiedits.aws.region}, possibly empty). */
    public static Region resolve(String configured) {
        return resolve(configured, () -> DefaultAwsRegionProviderChain.builder().build().getRegion());
    }

    static Region resolve(String configured, Supplier<Region> chain) {
        if (configured != null && !configured.isBlank()) {
            return Region.of(configured.trim());
        }
        try {
            Region fromChain = chain.get();
            if (fromChain != null) {
                return fromChain;
            }
        } catch (SdkClientException e) {
            // no region anywhere in the chain: the documented fallback below
        }
        LOG.info("No AWS region configured (wikiedits.aws.region, AWS_REGION, profile): using {}", FALLBACK);
        return FALLBACK;
    }
}
