package org.wikiedits.query.athena;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AthenaQueryRunnerTest {

    @TempDir
    Path dir;

    @Test
    void aLocalRoutesFolderReplacesThePackagedAthenaRoutes() throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.createDirectories(routes.resolve("athena"));
        Files.writeString(routes.resolve("athena/query.camel.yaml"), "- route: {id: athena-query}\n");

        assertThat(AthenaQueryRunner.routesPattern(routes)).isEqualTo("file:" + routes.toString().replace('\\', '/')
                + "/athena/*.camel.yaml");
        assertThat(AthenaQueryRunner.routesPattern(dir.resolve("absent"))).isEqualTo("classpath:routes/athena/query.camel.yaml");
    }
}
