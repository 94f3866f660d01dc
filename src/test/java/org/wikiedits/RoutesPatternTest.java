package org.wikiedits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutesPatternTest {

    private static final Path NO_LOCAL_ROUTES = Path.of("no-such-routes-folder");

    @Test
    void localModeLoadsTheSharedAndTheLocalRoutes() {
        assertThat(App.routesPattern("local", "firehose", NO_LOCAL_ROUTES))
                .isEqualTo("classpath:routes/*.camel.yaml,classpath:routes/local/*.camel.yaml");
    }

    @Test
    void awsModeAddsTheRoutesOfTheConfiguredDelivery() {
        assertThat(App.routesPattern("aws", "camel", NO_LOCAL_ROUTES)).isEqualTo(
                "classpath:routes/*.camel.yaml,classpath:routes/aws/*.camel.yaml,classpath:routes/aws/camel/*.camel.yaml");
        assertThat(App.routesPattern("aws", "firehose-direct", NO_LOCAL_ROUTES))
                .endsWith(",classpath:routes/aws/firehose-direct/*.camel.yaml");
    }

    @Test
    void anUnknownDeliveryIsRejectedWithTheAllowedValues() {
        assertThatThrownBy(() -> App.routesPattern("aws", "kafka", NO_LOCAL_ROUTES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wikiedits.aws.delivery must be one of firehose, camel, firehose-direct, not 'kafka'");
    }

    @Test
    void aLocalRoutesFolderReplacesThePackagedRoutes(@TempDir Path dir) {
        assertThat(App.routesPattern("aws", "firehose", dir)).startsWith("file:" + dir.toString().replace('\\', '/') + "/*.camel.yaml")
                .doesNotContain("classpath:");
    }
}
