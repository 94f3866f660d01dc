package org.wikiedits.sql.athena;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AthenaQueryRunnerTest {

    @TempDir
    Path dir;

    @Test
    void thePackagedRouteListNamesEveryFileOfTheAthenaRoutesFolder() throws Exception {
        URL folder = getClass().getClassLoader().getResource("routes/athena");
        assertThat(folder).isNotNull();
        try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
            assertThat(files.map(f -> "classpath:routes/athena/" + f.getFileName()))
                    .containsExactlyInAnyOrderElementsOf(AthenaQueryRunner.PACKAGED_ROUTES);
        }
    }

    @Test
    void aLocalRoutesFolderReplacesThePackagedAthenaRoutes() throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));

        assertThat(AthenaQueryRunner.routesPattern(routes)).isEqualTo("file:" + routes.toString().replace('\\', '/')
                + "/athena/*.camel.yaml");
        assertThat(AthenaQueryRunner.routesPattern(dir.resolve("absent"))).isEqualTo("classpath:routes/athena/query.camel.yaml");
    }
}
