package org.wikiedits.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The app in a child JVM (the test class path, {@code org.wikiedits.app.App}), for what an in-process
 * test cannot do: be killed, halt at a crash point, run as users run it.
 */
public final class ForkedApp implements AutoCloseable {

    private final Process process;
    private final Path log;

    private ForkedApp(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code java [jvmOptions] -Dkey=value... -cp <test class path> org.wikiedits.app.App args} in {@code workDir}. */
    public static ForkedApp start(Path workDir, Map<String, String> properties, List<String> jvmOptions, String... args)
            throws IOException {
        return start(workDir, Map.of(), properties, jvmOptions, args);
    }

    /** As {@link #start(Path, Map, List, String...)}, with {@code environment} added to the child's environment variables. */
    public static ForkedApp start(Path workDir, Map<String, String> environment, Map<String, String> properties,
            List<String> jvmOptions, String... args) throws IOException {
        return start(workDir, environment, properties, jvmOptions,
                List.of("-cp", System.getProperty("java.class.path"), "org.wikiedits.app.App"), args);
    }

    /** Starts {@code java [jvmOptions] -Dkey=value... -jar <jar> args} in {@code workDir}, as users run the app. */
    public static ForkedApp startJar(Path workDir, Path jar, Map<String, String> properties, List<String> jvmOptions,
            String... args) throws IOException {
        return start(workDir, Map.of(), properties, jvmOptions, List.of("-jar", jar.toAbsolutePath().toString()), args);
    }

    /** Starts {@code java [jvmOptions] -cp classPath mainClass args} in {@code workDir}: another main class than the app's. */
    public static ForkedApp startMain(Path workDir, List<String> jvmOptions, String classPath, String mainClass, String... args)
            throws IOException {
        return start(workDir, Map.of(), Map.of(), jvmOptions, List.of("-cp", classPath, mainClass), args);
    }

    /**
     * Starts {@code command} (another program than the app, such as {@code bin/camel}) in {@code workDir}, with
     * {@code environment} added; {@code JAVA_HOME} is this JVM's, so a script runs the same Java.
     */
    public static ForkedApp startProgram(Path workDir, Map<String, String> environment, List<String> command) throws IOException {
        Map<String, String> withJava = new java.util.HashMap<>(environment);
        withJava.putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
        return launch(workDir, withJava, command);
    }

    private static ForkedApp start(Path workDir, Map<String, String> environment, Map<String, String> properties,
            List<String> jvmOptions, List<String> launch, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(launch);
        command.addAll(List.of(args));
        return launch(workDir, environment, command);
    }

    private static ForkedApp launch(Path workDir, Map<String, String> environment, List<String> command) throws IOException {
        Files.createDirectories(workDir);
        Path log = Files.createTempFile(workDir, "app-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        return new ForkedApp(process, log);
    }

    /** Waits for the process to end by itself and returns its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the app did not exit within " + timeout + "; its log:\n" + log());
        }
        return process.exitValue();
    }

    /** SIGTERM, as Ctrl-C or a service manager would stop it; returns the exit code. */
    public int stop(Duration timeout) throws InterruptedException {
        process.destroy();
        return awaitExit(timeout);
    }

    /** SIGKILL. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

}
