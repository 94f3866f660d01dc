package org.wikiedits.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wikiedits.query.AthenaDdl;
import org.wikiedits.query.LakeSql;
import org.wikiedits.query.NamedQueries;

/** The command-line faces of infra/: each script's --help and argument errors, and AthenaDdl, which the scripts call. */
class InfraCommandsTest {

    @Test
    void everyScriptExplainsItselfWithHelpAndRefusesAnUnknownArgument() throws Exception {
        for (String script : List.of("deploy", "teardown", "local")) {
            InfraScripts.Result help = InfraScripts.script(script, List.of("--help"), Map.of(), Duration.ofSeconds(30));
            assertThat(help.exitCode()).as(script + " --help").isZero();
            assertThat(help.output()).startsWith("Usage: infra/" + script).contains("--settings");

            InfraScripts.Result wrong = InfraScripts.script(script, List.of("--bogus"), Map.of(), Duration.ofSeconds(30));
            assertThat(wrong.exitCode()).as(script + " --bogus").isNotZero();
            assertThat(wrong.output()).contains("unknown argument '--bogus'");
        }
    }

    @Test
    void aDeliveryTheAppDoesNotKnowIsRefusedBeforeAnythingIsCreated() throws Exception {
        InfraScripts.Result result = InfraScripts.script("teardown", List.of("--yes"), Map.of("WIKIEDITS_AWS_DELIVERY", "kafka"),
                Duration.ofSeconds(30));
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("WIKIEDITS_AWS_DELIVERY must be firehose, camel or firehose-direct, not 'kafka'");
    }

    @Test
    void athenaDdlPrintsTheLakeContractsViewAndNamedQueries() throws Exception {
        assertThat(AthenaDdl.run(List.of("view", "wikiedits", "wikiedits"))).isEqualTo(LakeSql.athenaCreateView("wikiedits", "wikiedits"));
        assertThat(AthenaDdl.run(List.of("named-queries")).lines().toList())
                .isEqualTo(NamedQueries.all().stream().map(NamedQueries.NamedQuery::name).toList());
        assertThat(AthenaDdl.run(List.of("named-query", "total"))).contains("LIMIT 100").doesNotContain("{limit}");
    }

    @Test
    void athenaDdlRefusesUnknownCommandsAndUnsafeNames() {
        assertThatThrownBy(() -> AthenaDdl.run(List.of("drop"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown command 'drop'");
        assertThatThrownBy(() -> AthenaDdl.run(List.of("view", "wikiedits"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("takes 2 argument(s)");
        assertThatThrownBy(() -> AthenaDdl.run(List.of("view", "x\"; DROP", "wikiedits"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lower-case letters");
        assertThatThrownBy(() -> AthenaDdl.run(List.of("glue-table", "wikiedits", "/tmp/lake"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("s3://");
    }
}
