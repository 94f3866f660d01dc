package org.wikiedits.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code java -Dkey=value... -jar <jar> [args]} command as a script or the README prints it (lines joined by
 * {@code \}, a {@code #} comment at the end), taken apart so that a test runs it as printed ({@link ForkedApp#startJar}),
 * adding only what a test must choose itself (a data folder, free ports).
 *
 * @param properties the {@code -D} settings, in order
 * @param jar        the jar after {@code -jar}
 * @param args       what follows the jar
 */
public record PrintedCommand(Map<String, String> properties, Path jar, List<String> args) {

    /** The first {@code java ... -jar} command in {@code text}; fails when there is none or it holds anything else. */
    public static PrintedCommand parse(String text) {
        String joined = text.replace("\\\n", " ");
        int start = joined.indexOf("java ");
        if (start < 0) {
            throw new IllegalArgumentException("no java command in:\n" + text);
        }
        String line = joined.substring(start).lines().findFirst().orElseThrow();
        int comment = line.indexOf(" #");
        String[] words = (comment < 0 ? line : line.substring(0, comment)).trim().split("\\s+");
        Map<String, String> properties = new LinkedHashMap<>();
        int i = 1;
        for (; i < words.length && words[i].startsWith("-D"); i++) {
            int equals = words[i].indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("'" + words[i] + "' is not -Dkey=value in: " + line);
            }
            properties.put(words[i].substring(2, equals), words[i].substring(equals + 1));
        }
        if (i + 1 >= words.length || !words[i].equals("-jar")) {
            throw new IllegalArgumentException("no -jar after the -D settings in: " + line);
        }
        return new PrintedCommand(properties, Path.of(words[i + 1]), List.of(words).subList(i + 2, words.length));
    }

    /** The same settings and jar with other arguments (another subcommand of the same command line). */
    public PrintedCommand withArgs(String... other) {
        return new PrintedCommand(properties, jar, List.of(other));
    }

    /**
     * Runs it in {@code workDir} (where a relative jar is found from the project folder, the tests' working directory),
     * with {@code added} settings that the printed command must not already hold.
     */
    public ForkedApp start(Path workDir, Map<String, String> added, List<String> jvmOptions) throws IOException {
        Map<String, String> all = new LinkedHashMap<>(properties);
        added.forEach((key, value) -> {
            if (all.putIfAbsent(key, value) != null) {
                throw new IllegalArgumentException("the printed command already sets " + key + ": a test must not change it");
            }
        });
        return ForkedApp.startJar(workDir, jar, all, new ArrayList<>(jvmOptions), args.toArray(String[]::new));
    }
}
