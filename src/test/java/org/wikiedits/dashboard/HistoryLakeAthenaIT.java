package org.wikiedits.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wikiedits.config.Settings;
import org.wikiedits.query.NamedQueries;
import org.wikiedits.testing.FakeAwsCredentials;
import org.wikiedits.testing.MotoServer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.QueryExecution;

/**
 * The history panels in aws mode: the named query goes through the query subcommand's Athena
 * routes to moto_server (which runs no SQL: the test queues the rows it answers) with the day range
 * as execution parameters, and the answer comes back as the panel's rows.
 */
class HistoryLakeAthenaIT {

    private static MotoServer moto;
    private static AthenaClient athena;
    private static FakeAwsCredentials fakeCredentials;

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoServer.start();
        fakeCredentials = FakeAwsCredentials.install();
        athena = AthenaClient.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(FakeAwsCredentials.provider()).build();
        athena.createWorkGroup(b -> b.name("wikiedits"));
    }

    @AfterAll
    static void stopMoto() throws Exception {
        if (athena != null) {
            athena.close();
        }
        if (moto != null) {
            moto.close();
        }
        if (fakeCredentials != null) {
            fakeCredentials.close();
        }
    }

    @Test
    void theDailyPanelRunsTheBotShareQueryOnAthenaForTheDayRange() throws Exception {
        moto.queueAthenaResult(List.of("dt", "events", "bot_events", "bot_share"), List.of("varchar", "bigint", "bigint", "double"),
                List.of(List.of("2026-08-03", "120", "30", "0.25"), List.of("2026-08-04", "80", "10", "0.125")));
        Settings settings = awsSettings("wikiedits");
        Clock clock = Clock.fixed(Instant.parse("2026-08-05T12:00:00Z"), ZoneOffset.UTC);
        HistoryLake history = new HistoryLake(new AthenaLakeQueries(() -> settings), clock);
        history.start();
        try {
            HistoryLake.Table table = history.panel("daily", "2026-08-03", "2026-08-04", null, null);

            assertThat(table.rows()).hasSize(2);
            assertThat(table.rows().get(0)).containsExactly(Map.entry("dt", "2026-08-03"), Map.entry("events", 120L),
                    Map.entry("bot_events", 30L), Map.entry("bot_share", 0.25));
            assertThat(table.empty()).isNull();
            String id = athena.listQueryExecutions(b -> b.workGroup("wikiedits")).queryExecutionIds().get(0);
            QueryExecution execution = athena.getQueryExecution(b -> b.queryExecutionId(id)).queryExecution();
            assertThat(execution.executionParameters()).containsExactly("'2026-08-03'", "'2026-08-04'");
            assertThat(execution.query()).isEqualTo(NamedQueries.BOT_SHARE
                    .bind(LocalDate.parse("2026-08-03"), LocalDate.parse("2026-08-04"), 10_000).sql());
        } finally {
            history.stop();
        }
    }

    @Test
    void aQueryAthenaRefusesMakesThePanelUnavailableAndItsDetailNamesTheEngine() throws Exception {
        Settings settings = awsSettings("no-such-workgroup");
        HistoryLake history = new HistoryLake(new AthenaLakeQueries(() -> settings), Clock.systemUTC());
        history.start();
        try {
            assertThatThrownBy(() -> history.panel("top-wikis", "2026-08-03", "2026-08-04", "5", null))
                    .isInstanceOfSatisfying(PanelUnavailableException.class, e -> {
                        assertThat(e.getMessage()).startsWith("The lake query top_wikis failed (");
                        assertThat(e.detail()).contains("on Athena (workgroup no-such-workgroup)").contains("WorkGroup does not exist");
                    });
        } finally {
            history.stop();
        }
    }

    @Test
    void aMissingOrBadAthenaSettingMakesThePanelUnavailableSayingWhatToSetAsTheAppBindsIt() throws Exception {
        // moto's workgroup has no result location, like an Athena workgroup without one
        assertThat(panelErrorAsBound("")).isInstanceOf(PanelUnavailableException.class)
                .hasMessageContaining("set wikiedits.athena.output").hasMessageNotContaining("camel.component");
        assertThat(panelErrorAsBound("bucket/results")).isInstanceOf(PanelUnavailableException.class)
                .hasMessageContaining("wikiedits.athena.output must be an s3:// location");
    }

    /** What {@code historyLake} throws for the daily panel as the app binds it, with the Athena result location {@code output}. */
    private static Throwable panelErrorAsBound(String output) throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setLocation("classpath:application.properties");
            Properties overrides = new Properties();
            overrides.putAll(Map.of("wikiedits.mode", "aws", "wikiedits.aws.region", MotoServer.REGION,
                    "wikiedits.athena.endpoint", moto.url(), "wikiedits.athena.output", output, "wikiedits.athena.poll-ms", "10"));
            context.getPropertiesComponent().setOverrideProperties(overrides);
            DashboardBeans.bind(context, true, Path.of("unused"));
            context.start();
            HistoryLake history = context.getRegistry().lookupByNameAndType("historyLake", HistoryLake.class);
            return catchThrowable(() -> history.panel("daily", "2026-08-03", "2026-08-04", null, null));
        }
    }

    private static Settings awsSettings(String workgroup) {
        return Settings.load().with(Map.of(
                "wikiedits.mode", "aws",
                "wikiedits.aws.region", MotoServer.REGION,
                "wikiedits.athena.endpoint", moto.url(),
                "wikiedits.athena.workgroup", workgroup,
                "wikiedits.athena.output", "s3://athena-results/wikiedits/",
                "wikiedits.athena.poll-ms", "10"));
    }
}
