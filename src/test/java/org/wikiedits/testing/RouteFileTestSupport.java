package org.wikiedits.testing;

import org.wikiedits.commit.AdmitEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.dataformat.csv.CsvDataFormat;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.commit.CheckpointStore;
import org.wikiedits.commit.CommitTracker;
import org.wikiedits.commit.DeadLetterStore;
import org.wikiedits.commit.ErrorsAsFailures;
import org.wikiedits.commit.FailedEvent;
import org.wikiedits.commit.Headers;
import org.wikiedits.commit.PipelineStats;
import org.wikiedits.commit.ResumePosition;
import org.wikiedits.sink.index.SearchDocumentProcessor;
import org.wikiedits.sink.lake.LakeRowProcessor;
import org.wikiedits.source.sse.SseConstants;
import org.wikiedits.transform.CsvRow;
import org.wikiedits.transform.RecentChange;

/**
 * camel-test-junit5 base of the {@code *RouteTest}s: each loads the shipped route files from the class
 * path ({@code classpath:routes/...}, never a copy), binds the real pipeline processors the way
 * {@code WikieditsBeans} does, replaces I/O endpoints with AdviceWith, and only then starts Camel
 * (advice-with mode: the context is not started for the test).
 */
public abstract class RouteFileTestSupport extends CamelTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    protected Path work;

    protected DeadLetterStore deadLetters;
    /** The source's commit tracker, waiting for {@link #trackedSinks()}. */
    protected CommitTracker tracker;
    protected PipelineStats stats;

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        configuration.withUseAdviceWith(true);
    }

    /** As {@code WikieditsBeans} sets it up: an Error in a step becomes a failure the routes' error handling sees. */
    @Override
    protected CamelContext createCamelContext() {
        CamelContext context = TestCamel.newContext();
        context.getCamelContextExtension().addInterceptStrategy(new ErrorsAsFailures());
        return context;
    }

    /** The sinks the commit tracker waits for. */
    protected List<String> trackedSinks() {
        return List.of("lake", "index");
    }

    /**
     * Binds the beans of {@code WikieditsBeans} that every pipeline route file refers to: {@code checkpoints}, {@code resumePosition},
     * {@code commitTracker}, {@code admitEvent}, {@code failedEvent}, {@code lakeRow}, {@code lakeCsv},
     * {@code searchDocument}, all real, over a temporary data folder.
     */
    @Override
    protected void bindToRegistry(Registry registry) throws Exception {
        deadLetters = new DeadLetterStore(work.resolve("dead-letter"));
        CheckpointStore checkpoints = new CheckpointStore(work.resolve("state"), "test");
        tracker = new CommitTracker(checkpoints, trackedSinks());
        stats = new PipelineStats();
        registry.bind("checkpoints", checkpoints);
        registry.bind("resumePosition", new ResumePosition(tracker));
        registry.bind("commitTracker", tracker);
        registry.bind("admitEvent", new AdmitEvent(tracker, deadLetters, stats));
        registry.bind("failedEvent", new FailedEvent(tracker, deadLetters, "source"));
        registry.bind("lakeRow", new LakeRowProcessor());
        registry.bind("lakeCsv", new CsvDataFormat(CsvRow.FORMAT));
        registry.bind("searchDocument", new SearchDocumentProcessor());
    }

    /** Loads {@code src/main/resources/routes/<path>} as packaged (from the class path). */
    protected void loadRouteFile(String path) throws Exception {
        PluginHelper.getRoutesLoader(context)
                .loadRoutes(ResourceHelper.resolveMandatoryResource(context, "classpath:routes/" + path));
    }

    /**
     * Loads {@code source.camel.yaml} for its {@code dead-letter-on-error} route configuration, which the
     * other pipeline routes use, and {@code sinks.camel.yaml}, the sink route templates every mode loads;
     * the SSE consumer becomes {@code direct:source}.
     */
    protected void loadSourceRoutes() throws Exception {
        loadRouteFile("sinks.camel.yaml");
        loadRouteFile("source.camel.yaml");
        AdviceWith.adviceWith(context, "source", route -> route.replaceFromWith("direct:source"));
    }

    /** Settings that win over every other source, as {@code -Dkey=value} would. */
    protected void setProperties(String... keysAndValues) {
        Properties properties = new Properties();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.setProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        context.getPropertiesComponent().setOverrideProperties(properties);
    }

    /**
     * Sends an admitted event the way the source route leaves it: the sse consumer's position header,
     * and from {@code admitEvent} the body, the seq header and the raw property.
     */
    protected long sendAdmitted(String uri, String raw, RecentChange event) {
        // the source id admitEvent registers is the SSE id (the position a restart resumes after)
        long seq = tracker.admit(wikimediaSseId(tracker.lastAdmitted() + 1));
        sendAdmitted(uri, raw, event, seq);
        return seq;
    }

    /** As {@link #sendAdmitted(String, String, RecentChange)}, with a sequence number already taken. */
    protected void sendAdmitted(String uri, String raw, RecentChange event, long seq) {
        template.send(uri, exchange -> {
            exchange.getMessage().setHeader(Headers.SOURCE_POSITION, wikimediaSseId(seq));
            exchange.getMessage().setBody(event);
            exchange.getMessage().setHeader(Headers.SEQ, seq);
            exchange.setProperty(Headers.RAW, raw);
        });
    }

    /** An SSE id as Wikimedia's stream sends it (the source's position, not the event's meta.id). */
    protected static String wikimediaSseId(long offset) {
        return "[{\"topic\":\"eqiad.mediawiki.recentchange\",\"partition\":0,\"offset\":" + (5_000_000_000L + offset) + "}]";
    }

    /** The dead letters written so far, in order. */
    protected List<JsonNode> deadLetterLines() {
        Path dir = work.resolve("dead-letter");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<JsonNode> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                for (String line : Files.readAllLines(file)) {
                    lines.add(JSON.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }
}
