package org.wikiedits.reload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteHotReloadTest {

    /** What {@code PackagedRoutes.routesPattern} gives for a ./routes/ folder in local mode with the lake only. */
    private static final String LOCAL_LAKE = "file:routes/*.camel.yaml,file:routes/local/*.camel.yaml,file:routes/local/lake/*.camel.yaml";

    private static RouteHotReload watching(String includePattern) {
        RouteHotReload reload = new RouteHotReload();
        reload.useFolders(RouteHotReload.folders(includePattern));
        return reload;
    }

    @Test
    void theFoldersAreTheFileEntriesOfTheIncludePattern() {
        List<RouteHotReload.Folder> folders = RouteHotReload.folders(LOCAL_LAKE + ",classpath:routes/athena/query.camel.yaml");

        assertThat(folders).extracting(RouteHotReload.Folder::dir).containsExactly(
                Path.of("routes").toAbsolutePath(), Path.of("routes/local").toAbsolutePath(),
                Path.of("routes/local/lake").toAbsolutePath());
        assertThat(folders).extracting(RouteHotReload.Folder::glob).containsOnly("*.camel.yaml");
    }

    @Test
    void packagedRoutesGiveNoFolderToWatch() {
        assertThat(RouteHotReload.folders("classpath:routes/ops.camel.yaml,classpath:routes/source.camel.yaml")).isEmpty();
        assertThat(RouteHotReload.folders(null)).isEmpty();
    }

    @Test
    void aRouteFileInOneOfTheRunsFoldersIsAccepted() {
        RouteHotReload reload = watching(LOCAL_LAKE);

        assertThat(reload.accepts(new File("routes/ops.camel.yaml"))).isTrue();
        assertThat(reload.accepts(new File("routes/local/publish.camel.yaml"))).isTrue();
        assertThat(reload.accepts(new File("routes/local/lake/lake.camel.yaml"))).isTrue();
        assertThat(reload.accepts(new File("./routes/local/../local/lake/new.camel.yaml"))).isTrue();
    }

    @Test
    void anotherModesOrSinksRouteFileAndOtherFilesAreNot() {
        RouteHotReload reload = watching(LOCAL_LAKE);

        assertThat(reload.accepts(new File("routes/local/index/index.camel.yaml"))).isFalse();
        assertThat(reload.accepts(new File("routes/aws/camel/lake.camel.yaml"))).isFalse();
        assertThat(reload.accepts(new File("routes/athena/query.camel.yaml"))).isFalse();
        assertThat(reload.accepts(new File("routes/ops.camel.yaml~"))).isFalse();
        assertThat(reload.accepts(new File("routes/.ops.camel.yaml.swp"))).isFalse();
        assertThat(reload.accepts(new File("routes/application.properties"))).isFalse();
    }
}
