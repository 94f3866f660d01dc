package org.wikiedits.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ServiceStatus;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.apache.logging.log4j.Level;
import org.wikiedits.testing.CapturedLog;
import org.wikiedits.testing.TestCamel;

/**
 * Swaps real YAML route files in a running Camel context: a timer is the intake (its tick counter
 * numbers the messages), an in-process queue feeds the route being replaced, and a recorder bean
 * notes what arrives with which version of the route.
 */
class RouteFileSwapTest {

    private static final String INTAKE = """
            - route:
                id: intake
                from:
                  uri: timer:tick
                  parameters:
                    period: 1
                    includeMetadata: true
                  steps:
                    - setBody:
                        simple: "${exchangeProperty.CamelTimerCounter}"
                    - to:
                        uri: seda:work
            """;

    @TempDir
    Path dir;

    private DefaultCamelContext context;
    private final Recorder recorder = new Recorder();

    /** Notes each message as "number@version". */
    public static final class Recorder {
        private final List<String> seen = new ArrayList<>();

        public synchronized void record(String body, String version) {
            seen.add(body + "@" + version);
        }

        synchronized List<String> seen() {
            return List.copyOf(seen);
        }

        synchronized long count() {
            return seen.size();
        }
    }

    private final Sink sink = new Sink();

    /** A bean the context runs as a service, like the lake and index sinks; counts how often it is stopped. */
    public static final class Sink extends ServiceSupport {
        private final AtomicInteger stops = new AtomicInteger();
        private final List<String> written = new CopyOnWriteArrayList<>();

        public void write(String body) {
            if (!isStarted()) {
                throw new IllegalStateException("the sink is closed");
            }
            written.add(body);
        }

        @Override
        protected void doStop() {
            stops.incrementAndGet();
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (context != null) {
            context.close();
        }
    }

    private static String work(String version) {
        return """
                - route:
                    id: work
                    from:
                      uri: seda:work
                      parameters:
                        pollTimeout: 50
                      steps:
                        - setHeader:
                            name: version
                            constant: "%s"
                        - bean:
                            ref: recorder
                            method: "record(${body}, ${header.version})"
                - route:
                    id: work-timer
                    from:
                      uri: timer:work
                      parameters:
                        period: 5
                      steps:
                        - log:
                            message: tick
                            loggingLevel: TRACE
                """.formatted(version);
    }

    private RouteFileSwap start(String... files) throws Exception {
        context = TestCamel.newContext();
        context.getRegistry().bind("recorder", recorder);
        context.addService(sink, true, true);
        context.getRegistry().bind("sink", sink);
        IntakeGate gate = RouteHotReload.prepare(context);
        for (String file : files) {
            PluginHelper.getRoutesLoader(context).loadRoutes(resource(file));
        }
        context.start();
        return new RouteFileSwap(context, gate, 5_000, this::routeFiles);
    }

    /** The test's route files, as RouteHotReload lists the run's folders. */
    private List<Path> routeFiles() {
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.toString().endsWith(".camel.yaml")).sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Resource resource(String file) {
        return PluginHelper.getResourceLoader(context).resolveResource("file:" + dir.resolve(file));
    }

    private void write(String file, String content) throws Exception {
        Files.writeString(dir.resolve(file), content, StandardCharsets.UTF_8);
    }

    @Test
    void aQueueConsumersFileIsSwappedMidStreamWithoutLosingOrRepeatingAMessage() throws Exception {
        write("intake.camel.yaml", INTAKE);
        write("work.camel.yaml", work("v0"));
        RouteFileSwap swap = start("intake.camel.yaml", "work.camel.yaml");

        for (int version = 1; version <= 5; version++) {
            long before = recorder.count();
            await().atMost(Duration.ofSeconds(10)).until(() -> recorder.count() > before + 50);
            write("work.camel.yaml", work("v" + version));
            RouteFileSwap.Outcome outcome = swap.swap(resource("work.camel.yaml"));
            assertThat(outcome.routes()).containsExactly("work", "work-timer");
            assertThat(outcome.added()).isEmpty();
            assertThat(outcome.removed()).isEmpty();
        }
        long afterLast = recorder.count();
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.count() > afterLast + 50);
        context.getRouteController().stopRoute("intake");
        await().atMost(Duration.ofSeconds(10)).until(() -> context.getInflightRepository().size() == 0);

        List<String> seen = recorder.seen();
        List<Long> numbers = seen.stream().map(s -> Long.parseLong(s.substring(0, s.indexOf('@')))).toList();
        assertThat(numbers).as("every tick once, in order").isEqualTo(LongStream.rangeClosed(1, numbers.size()).boxed().toList());
        assertThat(seen.get(seen.size() - 1)).endsWith("@v5");
        assertThat(seen.stream().map(s -> s.substring(s.indexOf('@') + 1)).distinct())
                .as("each version of the route handled messages").containsExactly("v0", "v1", "v2", "v3", "v4", "v5");
        assertThat(context.getRoutes()).hasSize(3);
    }

    @Test
    void aFileThatDoesNotParseIsRefusedWithItsLineAndTheOldRoutesKeepRunning() throws Exception {
        write("intake.camel.yaml", INTAKE);
        write("work.camel.yaml", work("v0"));
        RouteFileSwap swap = start("intake.camel.yaml", "work.camel.yaml");
        write("work.camel.yaml", work("v1") + "  - broken: [\n");

        assertThatThrownBy(() -> swap.swap(resource("work.camel.yaml")))
                .isInstanceOf(RouteFileSwap.Refused.class)
                .hasMessageContaining("work.camel.yaml")
                .hasMessageContaining("line " + (work("v1").lines().count() + 1));

        assertThat(context.getRouteController().getRouteStatus("work")).isEqualTo(ServiceStatus.Started);
        long now = recorder.count();
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.count() > now + 20);
        assertThat(recorder.seen()).allMatch(s -> s.endsWith("@v0"));
    }

    @Test
    void theFixedFileSavedBackAfterARefusalIsReloadedAndASecondEventOfOneSaveIsNot() throws Exception {
        write("intake.camel.yaml", INTAKE);
        write("work.camel.yaml", work("v0"));
        RouteHotReload reload = new RouteHotReload();
        reload.useSwap(start("intake.camel.yaml", "work.camel.yaml"));
        try (CapturedLog log = new CapturedLog(RouteHotReload.class)) {
            write("work.camel.yaml", work("v1"));
            reload.reload(resource("work.camel.yaml"));
            write("work.camel.yaml", work("v2") + "  - broken: [\n");
            reload.reload(resource("work.camel.yaml"));
            write("work.camel.yaml", work("v1")); // the file as it was before the broken save
            reload.reload(resource("work.camel.yaml"));
            reload.reload(resource("work.camel.yaml")); // a second watcher event of the same save

            assertThat(log.messages(Level.WARN)).singleElement().asString().startsWith("Refused ");
            assertThat(log.messages(Level.INFO)).as("the first save, and the fixed file saved back")
                    .filteredOn(line -> line.startsWith("Reloaded ")).hasSize(2);
        }
        assertThat(context.getRouteController().getRouteStatus("work")).isEqualTo(ServiceStatus.Started);
        long now = recorder.count();
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.count() > now + 20);
        assertThat(recorder.seen().get(recorder.seen().size() - 1)).endsWith("@v1");
    }

    @Test
    void aFileWhoseRoutesFailToStartIsRolledBackToTheRoutesThatRan() throws Exception {
        write("intake.camel.yaml", INTAKE);
        write("work.camel.yaml", work("v0"));
        RouteFileSwap swap = start("intake.camel.yaml", "work.camel.yaml");
        write("work.camel.yaml", work("v1").replace("uri: timer:work", "uri: no-such-component:work"));

        assertThatThrownBy(() -> swap.swap(resource("work.camel.yaml")))
                .isInstanceOf(RouteFileSwap.RolledBack.class)
                .hasMessageContaining("no-such-component");

        assertThat(context.getRouteController().getRouteStatus("work")).isEqualTo(ServiceStatus.Started);
        assertThat(context.getRouteController().getRouteStatus("work-timer")).isEqualTo(ServiceStatus.Started);
        long now = recorder.count();
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.count() > now + 20);
        assertThat(recorder.seen()).allMatch(s -> s.endsWith("@v0"));
        List<Long> numbers = recorder.seen().stream().map(s -> Long.parseLong(s.substring(0, s.indexOf('@')))).toList();
        assertThat(numbers).isEqualTo(LongStream.rangeClosed(1, numbers.size()).boxed().toList());
    }

    @Test
    void aFileThatReusesAnotherFilesRouteIdIsRefused() throws Exception {
        write("intake.camel.yaml", INTAKE);
        write("work.camel.yaml", work("v0"));
        RouteFileSwap swap = start("intake.camel.yaml", "work.camel.yaml");
        write("copy.camel.yaml", work("v1"));

        assertThatThrownBy(() -> swap.swap(resource("copy.camel.yaml")))
                .isInstanceOf(RouteFileSwap.Refused.class)
                .hasMessageContaining("route id 'work' is already defined in")
                .hasMessageContaining("work.camel.yaml");
        assertThat(context.getRoutes()).hasSize(3);
    }

    @Test
    void aRouteNoLongerInTheFileIsRemovedAndANewOneStarted() throws Exception {
        write("intake.camel.yaml", INTAKE);
        write("work.camel.yaml", work("v0"));
        RouteFileSwap swap = start("intake.camel.yaml", "work.camel.yaml");
        write("work.camel.yaml", work("v1").replace("id: work-timer", "id: work-timer-2"));

        RouteFileSwap.Outcome outcome = swap.swap(resource("work.camel.yaml"));

        assertThat(outcome.added()).containsExactly("work-timer-2");
        assertThat(outcome.removed()).containsExactly("work-timer");
        assertThat(context.getRoute("work-timer")).isNull();
        assertThat(context.getRouteController().getRouteStatus("work-timer-2")).isEqualTo(ServiceStatus.Started);
    }

    @Test
    void aTemplateFilesTemplatedRoutesAreMadeAgainFromTheNewTemplate() throws Exception {
        write("template.camel.yaml", template("t1"));
        RouteFileSwap swap = start("template.camel.yaml");
        ProducerTemplate producer = context.createProducerTemplate();
        producer.sendBody("seda:tq", "a");
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.count() == 1);

        write("template.camel.yaml", template("t2"));
        RouteFileSwap.Outcome outcome = swap.swap(resource("template.camel.yaml"));
        producer.sendBody("seda:tq", "b");
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.count() == 2);

        assertThat(outcome.routes()).containsExactly("templated");
        assertThat(outcome.added()).as("made again, not new").isEmpty();
        assertThat(recorder.seen()).containsExactly("a@t1", "b@t2");
        assertThat(context.getRoutes()).hasSize(1);
        assertThat(context.getRouteController().getRouteStatus("templated")).isEqualTo(ServiceStatus.Started);
    }

    /** A file of templates only, as routes/sinks.camel.yaml: the route it makes records with {@code version}. */
    private static String templatesOnly(String version) {
        return template(version).substring(0, template(version).indexOf("- templatedRoute:"));
    }

    /** A file that makes its routes from another file's template, as the mode folders' sink files do. */
    private static final String USES_TEMPLATE = """
            - templatedRoute:
                routeTemplateRef: recording
                routeId: work
                parameters:
                  - name: queue
                    value: work
            """;

    @Test
    void savingATemplateFileRemakesEveryRouteMadeFromItInAnyFileWithoutLosingOrRepeatingAMessage() throws Exception {
        write("templates.camel.yaml", templatesOnly("t0"));
        write("intake.camel.yaml", INTAKE);
        write("uses.camel.yaml", USES_TEMPLATE);
        RouteFileSwap swap = start("templates.camel.yaml", "intake.camel.yaml", "uses.camel.yaml");

        for (int version = 1; version <= 3; version++) {
            long before = recorder.count();
            await().atMost(Duration.ofSeconds(10)).until(() -> recorder.count() > before + 50);
            write("templates.camel.yaml", templatesOnly("t" + version));
            RouteFileSwap.Outcome outcome = swap.swap(resource("templates.camel.yaml"));
            assertThat(outcome.routes()).as("the routes made again from the file's templates").containsExactly("work");
            assertThat(outcome.added()).isEmpty();
            assertThat(outcome.removed()).isEmpty();
        }
        // the other files still reload after the template's routes were made again
        for (String file : List.of("uses.camel.yaml", "templates.camel.yaml")) {
            long before = recorder.count();
            await().atMost(Duration.ofSeconds(10)).until(() -> recorder.count() > before + 50);
            swap.swap(resource(file));
        }
        long afterLast = recorder.count();
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.count() > afterLast + 50);
        context.getRouteController().stopRoute("intake");
        await().atMost(Duration.ofSeconds(10)).until(() -> context.getInflightRepository().size() == 0);

        List<String> seen = recorder.seen();
        List<Long> numbers = seen.stream().map(s -> Long.parseLong(s.substring(0, s.indexOf('@')))).toList();
        assertThat(numbers).as("every tick once, in order").isEqualTo(LongStream.rangeClosed(1, numbers.size()).boxed().toList());
        assertThat(seen.stream().map(s -> s.substring(s.indexOf('@') + 1)).distinct())
                .as("each version of the template made the route").containsExactly("t0", "t1", "t2", "t3");
        assertThat(seen.get(seen.size() - 1)).endsWith("@t3");
        assertThat(context.getRoutes()).hasSize(2);
    }

    /** As the lake-sink template: the whole consumer URI is a parameter, so the route's definition reads "{{from}}". */
    @Test
    void aRouteWhoseConsumerUriIsATemplateParameterIsNotHeldAtTheGateAsAnIntake() throws Exception {
        write("templates.camel.yaml", templatesOnly("t0").replace("name: queue", "name: from")
                .replace("uri: \"seda:{{queue}}\"", "uri: \"{{from}}\""));
        write("intake.camel.yaml", INTAKE);
        String uses = USES_TEMPLATE.replace("name: queue", "name: from").replace("value: work", "value: seda:work");
        write("uses.camel.yaml", uses);
        RouteFileSwap swap = start("templates.camel.yaml", "intake.camel.yaml", "uses.camel.yaml");
        long before = recorder.count();
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.count() > before + 50);

        write("uses.camel.yaml", uses + "# saved again\n");
        assertThat(swap.swap(resource("uses.camel.yaml")).routes()).containsExactly("work");
        long after = recorder.count();
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.count() > after + 50);
    }

    @Test
    void aFileOfTemplatedRoutesIsSwappedAndACopyOfItIsRefused() throws Exception {
        write("templates.camel.yaml", templatesOnly("t0"));
        write("intake.camel.yaml", INTAKE);
        write("uses.camel.yaml", USES_TEMPLATE);
        RouteFileSwap swap = start("templates.camel.yaml", "intake.camel.yaml", "uses.camel.yaml");

        write("uses.camel.yaml", USES_TEMPLATE + "# saved again\n");
        assertThat(swap.swap(resource("uses.camel.yaml")).routes()).containsExactly("work");
        write("copy.camel.yaml", USES_TEMPLATE);

        assertThatThrownBy(() -> swap.swap(resource("copy.camel.yaml")))
                .isInstanceOf(RouteFileSwap.Refused.class)
                .hasMessageContaining("route id 'work' is already defined in")
                .hasMessageContaining("uses.camel.yaml");
        assertThat(context.getRouteController().getRouteStatus("work")).isEqualTo(ServiceStatus.Started);
    }

    @Test
    void aTemplateFileWhoseRoutesFailToStartIsRolledBackAndTheOldTemplateStaysInUse() throws Exception {
        write("templates.camel.yaml", templatesOnly("t0"));
        write("intake.camel.yaml", INTAKE);
        write("uses.camel.yaml", USES_TEMPLATE);
        RouteFileSwap swap = start("templates.camel.yaml", "intake.camel.yaml", "uses.camel.yaml");
        write("templates.camel.yaml", templatesOnly("t1").replace("uri: \"seda:{{queue}}\"", "uri: \"no-such-component:{{queue}}\""));

        assertThatThrownBy(() -> swap.swap(resource("templates.camel.yaml")))
                .isInstanceOf(RouteFileSwap.RolledBack.class)
                .hasMessageContaining("no-such-component");

        assertThat(context.getRouteController().getRouteStatus("work")).isEqualTo(ServiceStatus.Started);
        long now = recorder.count();
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.count() > now + 20);
        assertThat(recorder.seen()).allMatch(s -> s.endsWith("@t0"));
        // the template in use is still the old one: saving the file that uses it makes the t0 route again
        swap.swap(resource("uses.camel.yaml"));
        long after = recorder.count();
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.count() > after + 20);
        assertThat(recorder.seen()).allMatch(s -> s.endsWith("@t0"));
    }

    @Test
    void aSinkTheContextRunsIsNotStoppedWhenTheRouteThatWritesToItIsReloaded() throws Exception {
        String sinkRoute = """
                - route:
                    id: to-sink
                    from:
                      uri: seda:sink
                      parameters:
                        pollTimeout: 50
                      steps:
                        - bean:
                            ref: sink
                            method: write
                """;
        write("sink.camel.yaml", sinkRoute);
        RouteFileSwap swap = start("sink.camel.yaml");
        ProducerTemplate producer = context.createProducerTemplate();
        producer.sendBody("seda:sink", "before");
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.written.size() == 1);

        write("sink.camel.yaml", sinkRoute + "# saved again\n");
        swap.swap(resource("sink.camel.yaml"));
        producer.sendBody("seda:sink", "after");
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.written.size() == 2);

        assertThat(sink.stops).as("stops of the sink while its route was replaced").hasValue(0);
        assertThat(sink.written).containsExactly("before", "after");
        context.stop();
        assertThat(sink.stops).as("the context stops it once, when it stops").hasValue(1);
    }

    private static String template(String version) {
        return """
                - routeTemplate:
                    id: recording
                    parameters:
                      - name: queue
                    route:
                      from:
                        uri: "seda:{{queue}}"
                        parameters:
                          pollTimeout: 50
                        steps:
                          - setHeader:
                              name: version
                              constant: "%s"
                          - bean:
                              ref: recorder
                              method: "record(${body}, ${header.version})"
                - templatedRoute:
                    routeTemplateRef: recording
                    routeId: templated
                    parameters:
                      - name: queue
                        value: tq
                """.formatted(version);
    }
}
