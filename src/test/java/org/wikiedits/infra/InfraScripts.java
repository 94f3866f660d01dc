package org.wikiedits.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.wikiedits.testing.FakeAwsCredentials;
import org.wikiedits.testing.MotoServer;

/**
 * Runs the scripts of {@code infra/} and the AWS CLI as a user would, against emulators: fake
 * credentials, no AWS config files of the machine, nothing of the caller's WIKIEDITS_* environment.
 */
final class InfraScripts {

    /** Debian's awscli (v2), which .ci/run installs; else an {@code aws} on the PATH. */
    static final String AWS_CLI = awsCli();

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a script or CLI call printed (stdout and stderr together) and its exit code. */
    record Result(int exitCode, String output) {

        Result expectSuccess(String what) {
            if (exitCode != 0) {
                throw new AssertionError(what + " exited with " + exitCode + ":\n" + output);
            }
            return this;
        }
    }

    private InfraScripts() {
    }

    private static String awsCli() {
        if (Files.isExecutable(Path.of("/usr/bin/aws"))) {
            return "/usr/bin/aws";
        }
        return MotoServer.onPath("aws", System.getenv("PATH")).map(Path::toString).orElseThrow(() -> new AssertionError(
                "the AWS CLI is not installed: apt-get install awscli (.ci/run does), or put an aws v2 on the PATH"));
    }

    /** Runs {@code infra/<script> args} with {@code settings} (WIKIEDITS_* names) in its environment. */
    static Result script(String script, List<String> args, Map<String, String> settings, Duration timeout)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(InfraTemplate.INFRA.resolve(script).toAbsolutePath().toString());
        command.addAll(args);
        return run(command, settings, timeout, true);
    }

    /** The AWS CLI against {@code endpoint}, with JSON output, parsed; fails unless it succeeds. */
    static JsonNode aws(String endpoint, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(AWS_CLI, "--region", MotoServer.REGION, "--endpoint-url", endpoint,
                "--output", "json"));
        command.addAll(List.of(args));
        Result result = run(command, Map.of(), Duration.ofSeconds(60), false).expectSuccess(String.join(" ", args));
        String text = result.output().trim();
        return text.isEmpty() ? JSON.nullNode() : JSON.readTree(text);
    }

    /** Runs a command; its stderr joins the output when {@code mergeErrors}, else it is kept apart (and shown on failure). */
    private static Result run(List<String> command, Map<String, String> settings, Duration timeout, boolean mergeErrors)
            throws IOException, InterruptedException {
        Path output = Files.createTempFile("infra-script-", ".log");
        Path errors = Files.createTempFile("infra-script-", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(output.toFile());
            if (mergeErrors) {
                builder.redirectErrorStream(true);
            } else {
                builder.redirectError(errors.toFile());
            }
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(key -> key.startsWith("WIKIEDITS_") || key.startsWith("AWS_"));
            env.put("AWS_ACCESS_KEY_ID", FakeAwsCredentials.ACCESS_KEY);
            env.put("AWS_SECRET_ACCESS_KEY", FakeAwsCredentials.ACCESS_KEY);
            env.put("AWS_CONFIG_FILE", "/nonexistent/aws-config");
            env.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials");
            env.put("AWS_EC2_METADATA_DISABLED", "true");
            env.put("AWS_PAGER", "");
            env.put("WIKIEDITS_INFRA_AWS_CLI", AWS_CLI);
            env.put("WIKIEDITS_AWS_REGION", MotoServer.REGION);
            env.putAll(settings);
            Process process = builder.start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + ":\n"
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0 && !mergeErrors) {
                text += Files.readString(errors, StandardCharsets.UTF_8);
            }
            return new Result(process.exitValue(), text);
        } finally {
            Files.deleteIfExists(output);
            Files.deleteIfExists(errors);
        }
    }
}
