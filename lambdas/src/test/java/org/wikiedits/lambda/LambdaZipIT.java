package org.wikiedits.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Checks the built Lambda zips (run after {@code package}): what is inside, their size, that every
 * class resolves against the zip alone, and that each one really runs under the AWS Lambda runtime
 * interface client 2.10.1 (the Java runtime's own bootstrap: {@code AWSLambda} loads the handler from
 * the working directory and {@code lib/*.jar} with its own class loader, exactly as in /var/task),
 * talking to a local Runtime API. The runtime's JVM gets no project classes: its class path is the
 * RIC and its dependencies only, so a class missing from the zip fails the test.
 */
class LambdaZipIT {

    static final Path ZIPS = Path.of("target", "lambdas");

    /**
     * Jackson is the bulk (about 2.1 MiB), commons-csv with commons-io and commons-codec (the lake row's
     * CSV format, shared with the routes) about 1 MiB; a zip above this has picked up something it should not.
     */
    static final long MAX_ZIP_BYTES = 4L * 1024 * 1024;

    /** The only jars a zip may carry in lib/, by artifact name. */
    static final Set<String> ALLOWED_LIBS = Set.of("jackson-databind", "jackson-core", "jackson-annotations", "aws-lambda-java-core",
            "commons-csv", "commons-io", "commons-codec");

    /** The runtime interface client and its runtime dependencies, by their Maven repository path. */
    static final List<String> RUNTIME_ARTIFACTS = List.of(
            "/com/amazonaws/aws-lambda-java-runtime-interface-client/",
            "/com/amazonaws/aws-lambda-java-serialization/",
            "/com/amazonaws/aws-lambda-java-core/",
            "/software/amazon/awssdk/utils-lite/",
            "/software/amazon/awssdk/annotations/");

    @TempDir
    Path temp;

    @ParameterizedTest(name = "{0}.zip holds only its handler, the shared classes and the four allowed jars")
    @CsvSource({"wikiedits-lake-row, LakeRowHandler", "wikiedits-search-document, SearchDocumentHandler"})
    void theZipHoldsOnlyItsHandlerTheSharedClassesAndTheAllowedJars(String name, String handler) throws IOException {
        Path zip = builtZip(name);
        long size = Files.size(zip);
        System.out.printf("%s.zip: %,d bytes%n", name, size);

        List<String> entries = new ArrayList<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            file.stream().filter(e -> !e.isDirectory()).forEach(e -> entries.add(e.getName()));
            for (String entry : entries) {
                if (entry.startsWith("lib/")) {
                    assertThat(classesInside(file, file.getEntry(entry))).as("classes inside %s", entry)
                            .noneMatch(c -> c.startsWith("org/apache/camel/") || c.startsWith("org/opensearch/")
                                    || c.startsWith("software/amazon/awssdk/"));
                }
            }
        }

        assertThat(size).as("size of %s", zip).isLessThan(MAX_ZIP_BYTES);
        assertThat(entries).noneMatch(e -> e.startsWith("org/apache/camel/"));
        assertThat(entries).allMatch(e -> e.startsWith("lib/")
                || (e.endsWith(".class") && (e.startsWith("org/wikiedits/lambda/") || e.startsWith("org/wikiedits/transform/"))));
        assertThat(entries).filteredOn(e -> e.startsWith("lib/"))
                .extracting(e -> e.substring(4).replaceAll("-\\d[^/]*\\.jar$", ""))
                .containsExactlyInAnyOrderElementsOf(ALLOWED_LIBS);
        assertThat(entries).filteredOn(e -> e.matches("org/wikiedits/lambda/[A-Za-z]+Handler\\.class"))
                .containsExactly("org/wikiedits/lambda/" + handler + ".class");
        assertThat(entries).contains("org/wikiedits/transform/CsvRow.class", "org/wikiedits/transform/SearchDocument.class",
                "org/wikiedits/transform/RecentChangeReader.class", "org/wikiedits/lambda/FirehoseTransformer.class");
    }

    @ParameterizedTest(name = "{0}.zip ships the very transform classes the app is built from")
    @CsvSource({"wikiedits-lake-row", "wikiedits-search-document"})
    void theZipShipsTheVeryTransformClassesTheAppIsBuiltFrom(String name) throws IOException {
        Path classes = Path.of("target", "classes");
        try (ZipFile file = new ZipFile(builtZip(name).toFile())) {
            List<? extends ZipEntry> transform = file.stream()
                    .filter(e -> e.getName().startsWith("org/wikiedits/transform/") && e.getName().endsWith(".class")).toList();
            try (Stream<Path> built = Files.list(classes.resolve("org/wikiedits/transform"))) {
                assertThat(transform).extracting(ZipEntry::getName).containsExactlyInAnyOrderElementsOf(
                        built.filter(p -> p.toString().endsWith(".class")).map(p -> classes.relativize(p).toString().replace(File.separatorChar, '/')).toList());
            }
            for (ZipEntry entry : transform) {
                try (InputStream in = file.getInputStream(entry)) {
                    assertThat(in.readAllBytes()).as(entry.getName()).isEqualTo(Files.readAllBytes(classes.resolve(entry.getName())));
                }
            }
        }
    }

    @ParameterizedTest(name = "every class in {0}.zip resolves against the zip and the JDK alone")
    @CsvSource({"wikiedits-lake-row", "wikiedits-search-document"})
    void everyClassInTheZipResolvesAgainstTheZipAndTheJdkAlone(String name) throws IOException {
        Path taskRoot = unzip(builtZip(name));
        String libs = String.join(File.pathSeparator, jarsIn(taskRoot.resolve("lib")));
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("this JDK has no jdeps"));
        StringWriter out = new StringWriter();

        int status = jdeps.run(new PrintWriter(out), new PrintWriter(out),
                "--multi-release", "17", "--missing-deps", "-cp", libs, taskRoot.toString());

        assertThat(status).as("jdeps exit status; output:%n%s", out).isZero();
        assertThat(out.toString()).as("classes that reference something the zip lacks").isBlank();
    }

    @ParameterizedTest(name = "{0}.zip answers Firehose events under the real Lambda runtime interface client")
    @CsvSource({"wikiedits-lake-row, LakeRowHandler", "wikiedits-search-document, SearchDocumentHandler"})
    void theZipAnswersFirehoseEventsUnderTheRealLambdaRuntimeInterfaceClient(String name, String handlerClass) throws Exception {
        Path taskRoot = unzip(builtZip(name));
        String handler = "org.wikiedits.lambda." + handlerClass + "::handleRequest";
        RequestStreamHandler inProcess = handlerClass.equals("LakeRowHandler") ? new LakeRowHandler() : new SearchDocumentHandler();
        byte[] fixture = FirehoseEvents.fixture();
        byte[] warm = FirehoseEvents.eventOf(FirehoseEvents.utf8(List.of(FirehoseEvents.CANARY, FirehoseEvents.NOT_JSON)));
        Path output = temp.resolve(name + "-runtime.log");

        try (LocalLambdaRuntimeApi api = new LocalLambdaRuntimeApi()) {
            CompletableFuture<LocalLambdaRuntimeApi.Answer> first = api.invoke("request-1", fixture);
            CompletableFuture<LocalLambdaRuntimeApi.Answer> second = api.invoke("request-2", warm);
            Process runtime = startRuntime(taskRoot, handler, api.address(), output);
            try {
                LocalLambdaRuntimeApi.Answer cold = await(first, runtime, api, output);
                LocalLambdaRuntimeApi.Answer warmAnswer = await(second, runtime, api, output);

                assertThat(cold.error()).as("posted to /error: %s%n%s", cold.body(), log(output)).isFalse();
                JsonNode response = FirehoseEvents.JSON.readTree(cold.body());
                assertThat(FirehoseEvents.answeredIds(response)).containsExactlyElementsOf(FirehoseEvents.recordIds(fixture));
                assertThat(FirehoseEvents.results(response))
                        .containsExactly("Ok", "Ok", "Dropped", "ProcessingFailed", "ProcessingFailed");
                // the zip computes exactly what the unit-tested code computes
                assertThat(response).isEqualTo(FirehoseEvents.invoke(inProcess, fixture));
                if (handlerClass.equals("LakeRowHandler")) {
                    // the runtime JVM runs in UTC+14: the keys must still be the UTC hour
                    assertThat(response.at("/records/0/metadata/partitionKeys"))
                            .isEqualTo(FirehoseEvents.JSON.readTree("{\"dt\":\"2026-08-04\",\"hour\":\"23\"}"));
                }

                assertThat(warmAnswer.error()).as("posted to /error: %s", warmAnswer.body()).isFalse();
                assertThat(FirehoseEvents.results(FirehoseEvents.JSON.readTree(warmAnswer.body())))
                        .containsExactly("Dropped", "ProcessingFailed");
                assertThat(api.initErrors()).isEmpty();
                assertThat(api.unexpectedRequests()).isEmpty();
                assertThat(log(output)).contains("5 records, 2 Ok, 1 Dropped, 2 ProcessingFailed");
            } finally {
                stop(runtime);
            }
        }
    }

    /** Starts the RIC the way Lambda's Java runtime bootstrap does, with the zip's contents as /var/task. */
    private Process startRuntime(Path taskRoot, String handler, String runtimeApi, Path output) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java,
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", runtimeClassPath(),
                "com.amazonaws.services.lambda.runtime.api.client.AWSLambda", handler)
                .directory(taskRoot.toFile()) // the RIC takes user.dir as the task root
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        Map<String, String> env = builder.environment();
        env.clear(); // only what Lambda sets, nothing from the build
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        env.put("_HANDLER", handler);
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("LAMBDA_RUNTIME_DIR", taskRoot.toString());
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java17");
        env.put("AWS_LAMBDA_FUNCTION_NAME", "wikiedits-test");
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/wikiedits-test");
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "2026/08/05/[$LATEST]0123456789abcdef");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("LANG", "en_US.UTF-8");
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        // Lambda sets TZ=:UTC; a zone far from UTC here proves the partition keys do not depend on it
        env.put("TZ", "Pacific/Kiritimati");
        return builder.start();
    }

    /** The RIC jar and its dependencies, taken from this test's class path (the local Maven repository). */
    static String runtimeClassPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (String property : List.of("java.class.path", "surefire.test.class.path")) {
            String value = System.getProperty(property);
            if (value != null) {
                entries.addAll(List.of(value.split(File.pathSeparator)));
            }
        }
        List<String> classPath = new ArrayList<>();
        for (String artifact : RUNTIME_ARTIFACTS) {
            String jar = entries.stream()
                    .filter(e -> e.replace(File.separatorChar, '/').contains(artifact) && e.endsWith(".jar"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no jar of " + artifact + " on the test class path; "
                            + "com.amazonaws:aws-lambda-java-runtime-interface-client must be a test dependency"));
            classPath.add(jar);
        }
        return String.join(File.pathSeparator, classPath);
    }

    private static LocalLambdaRuntimeApi.Answer await(CompletableFuture<LocalLambdaRuntimeApi.Answer> answer, Process runtime,
            LocalLambdaRuntimeApi api, Path output) throws Exception {
        // whichever comes first: the answer, or the runtime exiting (init error, crash)
        CompletableFuture.anyOf(answer, runtime.onExit()).get(120, TimeUnit.SECONDS);
        if (!answer.isDone()) {
            fail("the runtime exited with status %d before answering; init errors: %s; output:%n%s",
                    runtime.exitValue(), api.initErrors(), log(output));
        }
        return answer.get();
    }

    private static void stop(Process runtime) throws InterruptedException {
        runtime.destroy();
        if (!runtime.waitFor(10, TimeUnit.SECONDS)) {
            runtime.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String log(Path output) {
        try {
            return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + output + ": " + e + ")";
        }
    }

    private static Path builtZip(String name) {
        Path zip = ZIPS.resolve(name + ".zip");
        assertThat(zip).as("built by `mvn package` (maven-assembly-plugin, lambdas/assembly)").isRegularFile();
        return zip;
    }

    private Path unzip(Path zip) throws IOException {
        Path root = temp.resolve(zip.getFileName().toString().replace(".zip", ""));
        Files.createDirectories(root);
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : file.stream().toList()) {
                Path target = root.resolve(entry.getName()).normalize();
                assertThat(target.startsWith(root)).as("zip entry %s stays inside the task root", entry.getName()).isTrue();
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = file.getInputStream(entry)) {
                        Files.copy(in, target);
                    }
                }
            }
        }
        return root;
    }

    private static List<String> jarsIn(Path lib) throws IOException {
        try (Stream<Path> jars = Files.list(lib)) {
            return jars.map(Path::toString).filter(p -> p.endsWith(".jar")).sorted().toList();
        }
    }

    private static List<String> classesInside(ZipFile zip, ZipEntry jar) throws IOException {
        List<String> classes = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(zip.getInputStream(jar))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.getName().endsWith(".class")) {
                    classes.add(e.getName());
                }
            }
        }
        return classes;
    }
}
