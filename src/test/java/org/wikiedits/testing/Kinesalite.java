package org.wikiedits.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * kinesalite (npm {@code kinesalite@3.3.3}), the Kinesis stand-in, as a node child process on a free
 * loopback port. It is installed into {@code test-tools/} (git-ignored, survives {@code mvn clean}) with
 * {@code npm install --prefix test-tools --ignore-scripts kinesalite@3.3.3} when missing; CI runs that
 * command before the build.
 */
public final class Kinesalite implements AutoCloseable {

    public static final String PACKAGE = "kinesalite@3.3.3";

    private final Process process;
    private final int port;

    private Kinesalite(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static Kinesalite start() throws IOException, InterruptedException {
        Path tools = installed();
        int port = freePort();
        Path log = Path.of("target", "kinesalite-" + port + ".log");
        Files.createDirectories(log.getParent());
        // shardLimit: a test class creates a stream per test (kinesalite allows 10 shards in all by default)
        Process process = new ProcessBuilder("node", "-e",
                "require('kinesalite')({createStreamMs:0,deleteStreamMs:0,updateStreamMs:0,shardLimit:100}).listen(" + port + ",'127.0.0.1')")
                .directory(tools.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Kinesalite kinesalite = new Kinesalite(process, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!accepts(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                kinesalite.close();
                throw new IllegalStateException("kinesalite did not start on port " + port + "; see " + log.toAbsolutePath());
            }
            Thread.sleep(50);
        }
        return kinesalite;
    }

    /** The folder whose node_modules holds kinesalite, installing it first if needed. */
    static synchronized Path installed() throws IOException, InterruptedException {
        Path tools = Path.of(System.getProperty("wikiedits.test.tools", "test-tools")).toAbsolutePath();
        if (Files.isRegularFile(tools.resolve("node_modules/kinesalite/package.json"))) {
            return tools;
        }
        Files.createDirectories(tools);
        Process npm = new ProcessBuilder("npm", "install", "--prefix", tools.toString(), "--ignore-scripts", "--no-audit",
                "--no-fund", PACKAGE).redirectErrorStream(true).redirectOutput(new File("target/npm-install.log")).start();
        if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            npm.destroyForcibly();
            throw new IllegalStateException("cannot install " + PACKAGE + " (needs node and npm): run `npm install --prefix "
                    + tools + " --ignore-scripts " + PACKAGE + "`; see target/npm-install.log");
        }
        return tools;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
