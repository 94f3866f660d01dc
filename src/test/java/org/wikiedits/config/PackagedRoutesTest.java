package org.wikiedits.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.app.App;

class PackagedRoutesTest {

    @TempDir
    Path temp;

    @Test
    void thePackagedLocalRoutesAreNamedOneByOneWithoutWildcards() {
        String pattern = PackagedRoutes.includePattern(App.class.getClassLoader(), List.of("", "local"));

        assertThat(pattern.split(",")).contains(
                "classpath:routes/source.camel.yaml",
                "classpath:routes/ops.camel.yaml",
                "classpath:routes/dashboard.camel.yaml",
                "classpath:routes/local/publish.camel.yaml");
        assertThat(pattern).doesNotContain("*");
    }

    @Test
    void aJarIsListedFromItsDirectoryWithTheFolderOnlyNotSubfoldersOrOtherFiles() throws IOException {
        Path jar = jarWith("routes/a.camel.yaml", "routes/b.camel.yaml", "routes/notes.txt",
                "routes/local/c.camel.yaml", "routes/local/deeper/d.camel.yaml", "other/e.camel.yaml");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            assertThat(PackagedRoutes.list(loader, "routes")).contains(List.of("routes/a.camel.yaml", "routes/b.camel.yaml"));
            assertThat(PackagedRoutes.list(loader, "routes/local")).contains(List.of("routes/local/c.camel.yaml"));
            assertThat(PackagedRoutes.list(loader, "routes/aws")).contains(List.of());
            assertThat(PackagedRoutes.includePattern(loader, List.of("", "local")))
                    .isEqualTo("classpath:routes/a.camel.yaml,classpath:routes/b.camel.yaml,classpath:routes/local/c.camel.yaml");
        }
    }

    @Test
    void aDirectoryOnTheClassPathIsListedLikeAJar() throws IOException {
        Files.createDirectories(temp.resolve("classes/routes/local"));
        Files.writeString(temp.resolve("classes/routes/x.camel.yaml"), "[]");
        Files.writeString(temp.resolve("classes/routes/local/y.camel.yaml"), "[]");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {temp.resolve("classes").toUri().toURL()}, null)) {
            assertThat(PackagedRoutes.includePattern(loader, List.of("", "local")))
                    .isEqualTo("classpath:routes/x.camel.yaml,classpath:routes/local/y.camel.yaml");
        }
    }

    @Test
    void aClassPathWithoutRouteFilesIsReportedWithWhatToDo() throws IOException {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jarWith("other/e.camel.yaml").toUri().toURL()}, null)) {
            assertThatThrownBy(() -> PackagedRoutes.includePattern(loader, List.of("", "local")))
                    .hasMessageContaining("No route files").hasMessageContaining("./routes/");
        }
    }

    private Path jarWith(String... names) throws IOException {
        Path jar = Files.createTempFile(temp, "routes-", ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            // directory entries, as the shade plugin writes them, so that getResources("routes/") finds the jar
            for (String dir : List.of("routes/", "routes/local/", "routes/local/deeper/", "other/")) {
                out.putNextEntry(new JarEntry(dir));
                out.closeEntry();
            }
            for (String name : names) {
                out.putNextEntry(new JarEntry(name));
                out.write("[]".getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }
}
