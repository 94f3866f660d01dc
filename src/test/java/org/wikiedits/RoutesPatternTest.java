package org.wikiedits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.pipeline.ConfiguredSinks;

class RoutesPatternTest {

    private static final Path NO_LOCAL_ROUTES = Path.of("no-such-routes-folder");
    private static final ConfiguredSinks BOTH = ConfiguredSinks.parse("lake,index");

    @Test
    void localModeLoadsTheSharedAndTheLocalRoutesByName() {
        assertThat(App.routesPattern("local", "firehose", BOTH, NO_LOCAL_ROUTES).split(",")).containsExactly(
                "classpath:routes/dashboard.camel.yaml", "classpath:routes/ops.camel.yaml", "classpath:routes/source.camel.yaml",
                "classpath:routes/local/publish.camel.yaml", "classpath:routes/local/lake/lake.camel.yaml",
                "classpath:routes/local/index/index.camel.yaml");
    }

    @Test
    void aLakeOnlyRunLoadsNoIndexRouteAndAnIndexOnlyRunNoLakeRoute() {
        assertThat(App.routesPattern("local", "firehose", ConfiguredSinks.parse("lake"), NO_LOCAL_ROUTES))
                .contains("routes/local/lake/lake.camel.yaml").doesNotContain("index.camel.yaml");
        assertThat(App.routesPattern("local", "firehose", ConfiguredSinks.parse(" index "), NO_LOCAL_ROUTES))
                .contains("routes/local/index/index.camel.yaml").doesNotContain("lake.camel.yaml");
    }

    @Test
    void anUnknownSinkIsRejectedWithTheAllowedValues() {
        assertThatThrownBy(() -> ConfiguredSinks.parse("lake,search"))
                .hasMessage("wikiedits.sinks must be lake, index or lake,index, not 'lake,search'");
        assertThatThrownBy(() -> ConfiguredSinks.parse(" , "))
                .hasMessage("wikiedits.sinks must be lake, index or lake,index, not ' , '");
    }

    @Test
    void awsModeAddsTheRoutesOfTheConfiguredDelivery() {
        assertThat(App.routesPattern("aws", "camel", BOTH, NO_LOCAL_ROUTES).split(",")).containsExactly(
                "classpath:routes/dashboard.camel.yaml", "classpath:routes/ops.camel.yaml", "classpath:routes/source.camel.yaml",
                "classpath:routes/aws/kinesis/publish.camel.yaml", "classpath:routes/aws/camel/index.camel.yaml",
                "classpath:routes/aws/camel/lake.camel.yaml");
        assertThat(App.routesPattern("aws", "firehose", BOTH, NO_LOCAL_ROUTES).split(",")).containsExactly(
                "classpath:routes/dashboard.camel.yaml", "classpath:routes/ops.camel.yaml", "classpath:routes/source.camel.yaml",
                "classpath:routes/aws/kinesis/publish.camel.yaml");
        assertThat(App.routesPattern("aws", "firehose-direct", BOTH, NO_LOCAL_ROUTES).split(",")).containsExactly(
                "classpath:routes/dashboard.camel.yaml", "classpath:routes/ops.camel.yaml", "classpath:routes/source.camel.yaml",
                "classpath:routes/aws/firehose-direct/publish.camel.yaml");
    }

    @Test
    void anUnknownDeliveryIsRejectedWithTheAllowedValues() {
        assertThatThrownBy(() -> App.routesPattern("aws", "kafka", BOTH, NO_LOCAL_ROUTES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wikiedits.aws.delivery must be one of firehose, camel, firehose-direct, not 'kafka'");
    }

    @Test
    void aLocalRoutesFolderReplacesThePackagedRoutes(@TempDir Path dir) {
        assertThat(App.routesPattern("aws", "firehose", BOTH, dir)).startsWith("file:" + dir.toString().replace('\\', '/') + "/*.camel.yaml")
                .doesNotContain("classpath:");
    }
}
