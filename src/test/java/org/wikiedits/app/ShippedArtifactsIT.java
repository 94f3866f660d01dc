package org.wikiedits.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/**
 * What {@code package} leaves in {@code target/} and the project ships: the runnable
 * {@code camel-app.jar}, the project's own classes {@code wikiedits-classes.jar} (the shade's input and
 * Camel JBang's jar) and the Lambda zips {@code lambdas/*.zip}. Failsafe runs after {@code package},
 * and puts the project's main artifact on the class path, so the jar this test's {@code App} class
 * comes from is the one Maven takes as the shade's input.
 */
class ShippedArtifactsIT {

    private static final Path APP_JAR = Path.of("target", "camel-app.jar");
    private static final Path CLASSES_JAR = Path.of("target", "wikiedits-classes.jar");
    private static final Path LAMBDAS = Path.of("target", "lambdas");
    /** {@code META-INF/maven/<group>/<artifact>/pom.properties} of any Jackson 2 artifact. */
    private static final Pattern JACKSON_POM = Pattern.compile("META-INF/maven/(com\\.fasterxml\\.jackson[^/]*)/([^/]+)/pom\\.properties");

    @Test
    void theProjectArtifactThatTheShadeReadsIsTheJarOfTheProjectsOwnClassesNotTheShadedJar() throws Exception {
        Path projectArtifact = Path.of(App.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(projectArtifact.toAbsolutePath()).as("failsafe's copy of the project's main artifact")
                .isEqualTo(CLASSES_JAR.toAbsolutePath());
        // a second `package` that took the shaded jar as its input would find Camel (and everything else) here
        assertThat(classNames(CLASSES_JAR)).contains("org/wikiedits/app/App.class")
                .allMatch(name -> name.startsWith("org/wikiedits/"), "a class of the project's own package");
    }

    @Test
    void theAppJarHoldsEachProjectClassOnceAsBuiltBesideItsDependencies() throws IOException {
        Map<String, Long> projectClasses = classCrcs(CLASSES_JAR);
        try (ZipFile app = new ZipFile(APP_JAR.toFile())) {
            List<String> names = new ArrayList<>();
            Collections.list(app.entries()).forEach(entry -> names.add(entry.getName()));
            assertThat(names).as("entries written twice").doesNotHaveDuplicates();
            projectClasses.forEach((name, crc) -> assertThat(app.getEntry(name)).as(name).isNotNull()
                    .extracting(ZipEntry::getCrc).isEqualTo(crc));
            assertThat(app.getEntry("org/apache/camel/main/Main.class")).as("Camel Main, a dependency").isNotNull();
            try (JarFile jar = new JarFile(APP_JAR.toFile())) {
                assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo(App.class.getName());
            }
        }
    }

    @Test
    void theAppJarAndTheLambdaZipsShipOneJackson2Line() throws IOException {
        Map<String, String> versions = new TreeMap<>();
        try (ZipFile app = new ZipFile(APP_JAR.toFile())) {
            for (ZipEntry entry : Collections.list(app.entries())) {
                Optional<String> artifact = jacksonArtifact(entry.getName());
                if (artifact.isPresent()) {
                    try (InputStream pom = app.getInputStream(entry)) {
                        versions.put("camel-app.jar " + artifact.get(), version(entry.getName(), pom));
                    }
                }
            }
        }
        assertThat(versions.keySet()).as("what the app jar ships").contains("camel-app.jar jackson-core",
                "camel-app.jar jackson-databind", "camel-app.jar jackson-annotations");
        List<Path> zips;
        try (Stream<Path> files = Files.list(LAMBDAS)) {
            zips = files.filter(file -> file.toString().endsWith(".zip")).sorted().toList();
        }
        assertThat(zips).as("the Lambda zips in " + LAMBDAS).hasSize(2);
        for (Path zip : zips) {
            versions.putAll(jacksonInLibJars(zip));
            assertThat(versions.keySet()).as("what " + zip.getFileName() + " ships")
                    .contains(zip.getFileName() + " jackson-core", zip.getFileName() + " jackson-databind",
                            zip.getFileName() + " jackson-annotations");
        }
        // since 2.20 jackson-annotations has no patch number (2.22 beside 2.22.4): compare major.minor
        TreeSet<String> lines = new TreeSet<>(versions.values().stream().map(ShippedArtifactsIT::line).toList());
        assertThat(lines).as("Jackson 2 lines in " + versions).hasSize(1);
    }

    /** The Jackson artifacts in a zip's {@code lib/*.jar}, read from each nested jar's own pom.properties. */
    private static Map<String, String> jacksonInLibJars(Path zip) throws IOException {
        Map<String, String> versions = new TreeMap<>();
        try (ZipFile lambda = new ZipFile(zip.toFile())) {
            for (ZipEntry lib : Collections.list(lambda.entries())) {
                if (!lib.getName().startsWith("lib/") || !lib.getName().endsWith(".jar")) {
                    continue;
                }
                try (ZipInputStream nested = new ZipInputStream(lambda.getInputStream(lib))) {
                    for (ZipEntry entry = nested.getNextEntry(); entry != null; entry = nested.getNextEntry()) {
                        Optional<String> artifact = jacksonArtifact(entry.getName());
                        if (artifact.isPresent()) {
                            versions.put(zip.getFileName() + " " + artifact.get(), version(entry.getName(), nested));
                        }
                    }
                }
            }
        }
        return versions;
    }

    /** The artifact id when {@code entryName} is the pom.properties of a Jackson 2 artifact. */
    private static Optional<String> jacksonArtifact(String entryName) {
        Matcher matcher = JACKSON_POM.matcher(entryName);
        return matcher.matches() ? Optional.of(matcher.group(2)) : Optional.empty();
    }

    private static String version(String entryName, InputStream pomProperties) throws IOException {
        Properties pom = new Properties();
        pom.load(pomProperties);
        assertThat(pom.getProperty("version")).as(entryName).isNotBlank();
        return pom.getProperty("version");
    }

    /** "2.22.4" and "2.22" are both the 2.22 line. */
    private static String line(String version) {
        String[] parts = version.split("\\.");
        return parts[0] + "." + parts[1];
    }

    private static List<String> classNames(Path jar) throws IOException {
        return new ArrayList<>(classCrcs(jar).keySet());
    }

    private static Map<String, Long> classCrcs(Path jar) throws IOException {
        assertThat(jar).as("built by package, before the integration tests").isRegularFile();
        Map<String, Long> classes = new TreeMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Collections.list(zip.entries()).stream().filter(entry -> entry.getName().endsWith(".class"))
                    .forEach(entry -> classes.put(entry.getName(), entry.getCrc()));
        }
        return classes;
    }
}
