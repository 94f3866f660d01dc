package org.wikiedits.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.apache.camel.CamelContext;
import org.apache.camel.Header;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.commit.CommitTracker;
import org.wikiedits.commit.Headers;
import org.wikiedits.commit.SeqRuns;
import org.wikiedits.config.ConfiguredSinks;
import org.wikiedits.config.Settings;
import org.wikiedits.config.SinkKind;
import org.wikiedits.config.SinkRegistry;
import org.wikiedits.ops.PipelineMonitor;
import org.wikiedits.source.sse.SseConstants;
import org.wikiedits.testing.PipelineFixture;
import org.wikiedits.testing.TestCamel;
import org.wikiedits.transform.Fixtures;

/**
 * A sink added the way docs/extending.md says, from outside the app's jar: a class (TallySinkKind and
 * its bean), its registry entry (META-INF/services in src/test/resources/extension-sink) and its route
 * file (routes/local/tally/). With {@code wikiedits.sinks=lake,tally} the app's own wiring binds it, the
 * publish route fans out to it, and the checkpoint waits for it as for the lake.
 */
class RegisteredSinkTest {

    /** The test-only sink: notes each event's seq and tells the commit tracker it has it. */
    public static final class TallySink {
        final List<Long> seqs = new CopyOnWriteArrayList<>();
        private final CommitTracker tracker;

        TallySink(CommitTracker tracker) {
            this.tracker = tracker;
        }

        public void write(@Header(Headers.SEQ) long seq) {
            seqs.add(seq);
            tracker.handled("tally", SeqRuns.of(seq));
        }
    }

    public static final class TallySinkKind implements SinkKind {
        @Override
        public String name() {
            return "tally";
        }

        @Override
        public Object bind(CamelContext context) {
            TallySink sink = new TallySink(context.getRegistry().lookupByNameAndType("commitTracker", CommitTracker.class));
            context.getRegistry().bind("tallySink", sink);
            return sink;
        }

        @Override
        public String describe(UnaryOperator<String> setting) {
            return "tally (in memory)";
        }
    }

    @TempDir
    Path data;

    private final ClassLoader original = Thread.currentThread().getContextClassLoader();
    private DefaultCamelContext context;

    @AfterEach
    void restore() throws Exception {
        Thread.currentThread().setContextClassLoader(original);
        if (context != null) {
            context.close();
        }
    }

    private void withExtension() throws Exception {
        URL extension = RegisteredSinkTest.class.getResource("/extension-sink/");
        Thread.currentThread().setContextClassLoader(new URLClassLoader(new URL[] {extension}, original));
    }

    @Test
    void aSinkRegisteredOutsideTheJarIsAcceptedByTheSettingReceivesEveryEventAndHoldsTheCheckpoint() throws Exception {
        assertThatThrownBy(() -> ConfiguredSinks.parse("lake,tally")).as("not registered yet")
                .hasMessageContaining("must name one or more of the sinks lake, index");
        withExtension();
        assertThat(SinkRegistry.load().names()).containsExactly("lake", "index", "tally");

        context = TestCamel.newContext();
        Properties properties = new Properties();
        properties.putAll(Settings.load().with(Map.of("wikiedits.sinks", "lake,tally", "wikiedits.source.url", "test:",
                "wikiedits.data.dir", data.toString(), "wikiedits.lake.roll-seconds", "1")).asMap());
        context.getPropertiesComponent().setInitialProperties(properties);
        new WikieditsBeans().configure(context);
        for (String file : List.of("classpath:routes/sinks.camel.yaml", "classpath:routes/source.camel.yaml",
                "classpath:routes/local/publish.camel.yaml", "classpath:routes/local/lake/lake.camel.yaml",
                "classpath:extension-sink/routes/local/tally/tally.camel.yaml")) {
            PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.resolveMandatoryResource(context, file));
        }
        AdviceWith.adviceWith(context, "source", route -> route.replaceFromWith("direct:source"));
        context.start();

        List<String> events = List.of(Fixtures.event("edit-basic"), Fixtures.event("log-params-object"));
        for (int n = 0; n < events.size(); n++) {
            context.createProducerTemplate().sendBodyAndHeader("direct:source", events.get(n), SseConstants.EVENT_ID, "id-" + (n + 1));
        }

        TallySink tally = context.getRegistry().lookupByNameAndType("tallySink", TallySink.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> "id-2".equals(PipelineFixture.checkpoint(data)));
        assertThat(tally.seqs).containsExactly(1L, 2L);
        assertThat(PipelineFixture.lakeEventIds(data)).hasSize(2);
        assertThat(context.getRegistry().lookupByNameAndType("pipelineMonitor", PipelineMonitor.class)).isNotNull();
    }
}
