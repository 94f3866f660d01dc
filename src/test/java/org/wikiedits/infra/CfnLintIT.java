package org.wikiedits.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.wikiedits.testing.MotoServer;

/**
 * AWS's {@code cfn-lint} (Python, preinstalled on this machine image; CI puts ~/.pyenv/shims on the
 * PATH) on every template in {@code infra/}: AWS's resource schemas, intrinsic functions, deprecated
 * runtimes. A missing cfn-lint fails the test with what to install, rather than skipping it.
 */
class CfnLintIT {

    @Test
    void everyTemplateInInfraPassesCfnLintWithoutErrorsOrWarnings() throws Exception {
        String cfnLint = MotoServer.onPath("cfn-lint", System.getenv("PATH")).map(Path::toString).orElseThrow(() ->
                new AssertionError("cfn-lint is not on the PATH: pip install cfn-lint (AWS's, not the npm package of that name);"
                        + " .ci/run adds ~/.pyenv/shims where this machine image has it"));
        List<Path> templates = InfraTemplate.all();
        assertThat(templates).extracting(p -> p.getFileName().toString()).contains("wikiedits.yaml", "artifacts.yaml");

        List<String> command = new ArrayList<>(List.of(cfnLint, "--format", "parseable"));
        templates.forEach(t -> command.add(t.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("cfn-lint finished").isTrue();

        assertThat(output).as("cfn-lint findings").isEmpty();
        assertThat(process.exitValue()).as("cfn-lint exit code").isZero();
    }
}
