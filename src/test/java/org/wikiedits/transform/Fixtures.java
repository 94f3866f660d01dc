package org.wikiedits.transform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The fixture files under {@code src/test/resources/events} and {@code expected} (layout in
 * {@code events/README.md}). Shared by the transformation, SQL and Lambda tests.
 */
public final class Fixtures {

    private Fixtures() {
    }

    /** Names of the valid fixture events ({@code events/<name>.json}), sorted. */
    public static List<String> eventNames() {
        return names(resourceDir("events"), ".json");
    }

    /** File names of the malformed inputs ({@code events/malformed/<file>}), sorted. */
    public static List<String> malformedFiles() {
        try (Stream<Path> files = Files.list(resourceDir("events/malformed"))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The raw text of {@code events/<name>.json}. */
    public static String event(String name) {
        return read(resourceDir("events").resolve(name + ".json"));
    }

    /** The event read by {@link RecentChangeReader}; fixture events are valid by definition. */
    public static RecentChange recentChange(String name) {
        try {
            return RecentChangeReader.read(event(name));
        } catch (MalformedEventException e) {
            throw new AssertionError("fixture " + name + " does not read: " + e.getMessage(), e);
        }
    }

    public static String expectedCsv(String name) {
        return read(resourceDir("expected").resolve(name + ".csv"));
    }

    public static String expectedDocument(String name) {
        return read(resourceDir("expected").resolve(name + ".doc.json"));
    }

    /** The raw text of {@code events/malformed/<file>}. */
    public static String malformed(String file) {
        return read(resourceDir("events/malformed").resolve(file));
    }

    /** The start of the reason expected for {@code events/malformed/<file>}. */
    public static String expectedReason(String file) {
        String name = file.substring(0, file.lastIndexOf('.'));
        return read(resourceDir("expected/malformed").resolve(name + ".reason.txt"));
    }

    private static List<String> names(Path dir, String suffix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(suffix))
                    .map(n -> n.substring(0, n.length() - suffix.length()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path resourceDir(String name) {
        URL url = Fixtures.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalStateException("test resource folder " + name + " is missing");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
