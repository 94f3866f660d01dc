package org.wikiedits.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.config.ConfiguredSinks;
import org.wikiedits.config.PackagedRoutes;
import org.wikiedits.config.StartupFailure;

class RoutesPatternTest {

    private static final Path NO_LOCAL_ROUTES = Path.of("no-such-routes-folder");
    private static final ConfiguredSinks BOTH = ConfiguredSinks.parse("lake,index");

    @Test
    void localModeLoadsTheSharedAndTheLocalRoutesByName() {
        assertThat(App.routesPattern("local", "firehose", BOTH, NO_LOCAL_ROUTES).split(",")).containsExactly(
                "classpath:routes/dashboard.camel.yaml", "classpath:routes/detectors.camel.yaml", "classpath:routes/ops.camel.yaml", "classpath:routes/sinks.camel.yaml",
                "classpath:routes/source.camel.yaml",
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
    void theScheduledCompactionsRouteIsLoadedOnlyWhenTheScheduleIsOnInLocalMode() {
        assertThat(App.routesPattern("local", "firehose", BOTH, true, NO_LOCAL_ROUTES))
                .contains("classpath:routes/local/compact/compaction.camel.yaml");
        assertThat(App.routesPattern("local", "firehose", BOTH, false, NO_LOCAL_ROUTES)).doesNotContain("compaction");
        assertThat(App.routesPattern("aws", "camel", BOTH, true, NO_LOCAL_ROUTES)).doesNotContain("compaction");
    }

    @Test
    void anUnknownSinkIsRejectedWithTheAllowedValues() {
        assertThatThrownBy(() -> ConfiguredSinks.parse("lake,search"))
                .hasMessage("wikiedits.sinks must name one or more of the sinks lake, index (comma-separated), not 'lake,search'");
        assertThatThrownBy(() -> ConfiguredSinks.parse(" , "))
                .hasMessage("wikiedits.sinks must name one or more of the sinks lake, index (comma-separated), not ' , '");
    }

    @Test
    void awsModeAddsTheRoutesOfTheConfiguredDelivery() {
        assertThat(App.routesPattern("aws", "camel", BOTH, NO_LOCAL_ROUTES).split(",")).containsExactly(
                "classpath:routes/dashboard.camel.yaml", "classpath:routes/detectors.camel.yaml", "classpath:routes/ops.camel.yaml", "classpath:routes/sinks.camel.yaml",
                "classpath:routes/source.camel.yaml",
                "classpath:routes/aws/kinesis/publish.camel.yaml", "classpath:routes/aws/camel/index.camel.yaml",
                "classpath:routes/aws/camel/lake.camel.yaml");
        assertThat(App.routesPattern("aws", "firehose", BOTH, NO_LOCAL_ROUTES).split(",")).containsExactly(
                "classpath:routes/dashboard.camel.yaml", "classpath:routes/detectors.camel.yaml", "classpath:routes/ops.camel.yaml", "classpath:routes/sinks.camel.yaml",
                "classpath:routes/source.camel.yaml",
                "classpath:routes/aws/kinesis/publish.camel.yaml");
        assertThat(App.routesPattern("aws", "firehose-direct", BOTH, NO_LOCAL_ROUTES).split(",")).containsExactly(
                "classpath:routes/dashboard.camel.yaml", "classpath:routes/detectors.camel.yaml", "classpath:routes/ops.camel.yaml", "classpath:routes/sinks.camel.yaml",
                "classpath:routes/source.camel.yaml",
                "classpath:routes/aws/firehose-direct/publish.camel.yaml");
    }

    @Test
    void anUnknownDeliveryIsRejectedWithTheAllowedValues() {
        assertThatThrownBy(() -> App.routesPattern("aws", "kafka", BOTH, NO_LOCAL_ROUTES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wikiedits.aws.delivery must be one of firehose, camel, firehose-direct, not 'kafka'");
    }

    @Test
    void aLocalRoutesFolderReplacesThePackagedRoutes(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("source.camel.yaml"), "- route: {id: source}\n");
        Files.writeString(dir.resolve("sinks.camel.yaml"), "- routeTemplate: {id: t}\n");
        assertThat(App.routesPattern("aws", "firehose", BOTH, dir)).startsWith("file:" + dir.toString().replace('\\', '/') + "/*.camel.yaml")
                .doesNotContain("classpath:");
    }

    /** A ./routes copied before routes/sinks.camel.yaml existed: the packaged templates come with it (they define no route). */
    @Test
    void aLocalRoutesFolderWithoutTheSinkTemplatesGetsThePackagedOnes(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("source.camel.yaml"), "- route: {id: source}\n");
        assertThat(App.routesPattern("aws", "firehose", BOTH, dir).split(",")).containsExactly(
                "classpath:routes/sinks.camel.yaml", "file:" + dir.toString().replace('\\', '/') + "/*.camel.yaml",
                "file:" + dir.toString().replace('\\', '/') + "/aws/kinesis/*.camel.yaml");
    }

    @Test
    void theLocalRouteFilesAreListedForTheStartUpLogFromTheModesFoldersOnly(@TempDir Path dir) throws IOException {
        for (String file : List.of("source.camel.yaml", "notes.txt", "local/publish.camel.yaml", "local/lake/lake.camel.yaml",
                "local/index/index.camel.yaml", "aws/kinesis/publish.camel.yaml")) {
            Files.createDirectories(dir.resolve(file).getParent());
            Files.writeString(dir.resolve(file), "- route: {id: x}\n");
        }

        assertThat(PackagedRoutes.localFiles(List.of("", "local", "local/lake"), dir))
                .containsExactly("local/lake/lake.camel.yaml", "local/publish.camel.yaml", "source.camel.yaml");
    }

    @Test
    void aLocalRoutesFolderWithoutRouteFilesForTheModeStopsTheStartWithWhatToDo(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("aws"));
        Files.writeString(dir.resolve("aws/publish.camel.yaml"), "- route: {id: x}\n");

        assertThatThrownBy(() -> App.routesPattern("local", "firehose", ConfiguredSinks.parse("lake"), dir))
                .isInstanceOf(StartupFailure.class)
                .hasMessage("The folder " + dir.toAbsolutePath() + " replaces the packaged routes but holds no *.camel.yaml in routes/,"
                        + " routes/local/, routes/local/lake/: copy src/main/resources/routes there, or remove it to run the packaged routes");
    }
}
