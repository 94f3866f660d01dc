package org.wikiedits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutesPatternTest {

    private static final Path NO_LOCAL_ROUTES = Path.of("no-such-routes-folder");

    @Test
    void localModeLoadsTheSharedAndTheLocalRoutesByName() {
        assertThat(App.routesPattern("local", "firehose", NO_LOCAL_ROUTES).split(",")).containsExactly(
                "classpath:routes/dashboard.camel.yaml", "classpath:routes/ops.camel.yaml", "classpath:routes/source.camel.yaml",
                "classpath:routes/local/index.camel.yaml", "classpath:routes/local/lake.camel.yaml",
                "classpath:routes/local/publish.camel.yaml");
    }

    @Test
    void awsModeAddsTheRoutesOfTheConfiguredDelivery() {
        assertThat(App.routesPattern("aws", "camel", NO_LOCAL_ROUTES).split(",")).containsExactly(
                "classpath:routes/dashboard.camel.yaml", "classpath:routes/ops.camel.yaml", "classpath:routes/source.camel.yaml",
                "classpath:routes/aws/kinesis/publish.camel.yaml", "classpath:routes/aws/camel/index.camel.yaml",
                "classpath:routes/aws/camel/lake.camel.yaml");
        assertThat(App.routesPattern("aws", "firehose", NO_LOCAL_ROUTES).split(",")).containsExactly(
                "classpath:routes/dashboard.camel.yaml", "classpath:routes/ops.camel.yaml", "classpath:routes/source.camel.yaml",
                "classpath:routes/aws/kinesis/publish.camel.yaml");
        assertThat(App.routesPattern("aws", "firehose-direct", NO_LOCAL_ROUTES).split(",")).containsExactly(
                "classpath:routes/dashboard.camel.yaml", "classpath:routes/ops.camel.yaml", "classpath:routes/source.camel.yaml",
                "classpath:routes/aws/firehose-direct/publish.camel.yaml");
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
