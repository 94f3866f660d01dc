package org.wikiedits.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;

class RegionsTest {

    @Test
    void theConfiguredRegionWinsOverTheAwsChain() {
        assertThat(Regions.resolve(" eu-west-1 ", () -> Region.AP_SOUTH_1)).isEqualTo(Region.EU_WEST_1);
    }

    @Test
    void withoutAConfiguredRegionTheAwsChainDecides() {
        assertThat(Regions.resolve("", () -> Region.AP_SOUTH_1)).isEqualTo(Region.AP_SOUTH_1);
    }

    @Test
    void withoutAnyRegionItIsUsEast1() {
        assertThat(Regions.resolve("", () -> {
            throw SdkClientException.create("Unable to load region from any of the providers in the chain");
        })).isEqualTo(Region.US_EAST_1);
    }
}
