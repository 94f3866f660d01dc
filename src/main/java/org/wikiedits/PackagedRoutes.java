package org.wikiedits;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The route files packaged under {@code routes/} and {@code routes/<mode>/}, named one by one for
 * {@code camel.main.routes-include-pattern}.
 *
 * <p>Why not {@code classpath:routes/*.camel.yaml}: Camel resolves a classpath wildcard by reading
 * every jar on the class path entry by entry with a {@code JarInputStream}, which inflates every
 * entry. The shaded jar holds about 85,000 entries (630 MB inflated), Camel Main resolves the
 * include pattern twice (modeline pre-parse, then route loading), and the two patterns made four
 * full passes: about 90 % of Camel's 20-45 s boot. Listing the jar's central directory here takes
 * milliseconds, and Camel loads explicit {@code classpath:} names directly, without scanning.
 */
final class PackagedRoutes {

    static final String FOLDER = "routes";
    static final String SUFFIX = ".camel.yaml";

    private PackagedRoutes() {
    }

    /**
     * The include pattern for the packaged routes of {@code mode}: explicit {@code classpath:} names,
     * or Camel's wildcards when the class path cannot be listed (an unknown URL scheme).
     */
    static String includePattern(ClassLoader loader, String mode) {
        Optional<List<String>> common = list(loader, FOLDER);
        Optional<List<String>> ofMode = list(loader, FOLDER + "/" + mode);
        if (common.isEmpty() || ofMode.isEmpty()) {
            return "classpath:" + FOLDER + "/*" + SUFFIX + ",classpath:" + FOLDER + "/" + mode + "/*" + SUFFIX;
        }
        List<String> names = Stream.concat(common.get().stream(), ofMode.get().stream()).toList();
        if (names.isEmpty()) {
            throw new IllegalStateException("No route files (*" + SUFFIX + ") under " + FOLDER + "/ or " + FOLDER + "/"
                    + mode + "/ on the class path: is the jar complete? A ./routes/ folder can provide them.");
        }
        return String.join(",", names.stream().map(name -> "classpath:" + name).toList());
    }

    /**
     * The {@code *.camel.yaml} resources directly in {@code folder} (not in its subfolders), as
     * resource names ({@code routes/source.camel.yaml}), sorted; empty when {@code folder} does not
     * exist; {@link Optional#empty()} when some class path entry cannot be listed.
     */
    static Optional<List<String>> list(ClassLoader loader, String folder) {
        TreeSet<String> names = new TreeSet<>();
        try {
            Enumeration<URL> roots = loader.getResources(folder + "/");
            while (roots.hasMoreElements()) {
                URL root = roots.nextElement();
                if (root.getProtocol().equals("file")) {
                    listDirectory(Path.of(root.toURI()), folder, names);
                } else if (root.getProtocol().equals("jar")
                        && root.openConnection() instanceof JarURLConnection jar
                        && jar.getJarFileURL().getProtocol().equals("file")) {
                    listJar(Path.of(jar.getJarFileURL().toURI()), folder, names);
                } else {
                    return Optional.empty();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the packaged " + folder + "/ folder", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot list the packaged " + folder + "/ folder", e);
        }
        return Optional.of(List.copyOf(names));
    }

    private static void listDirectory(Path dir, String folder, TreeSet<String> names) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(Files::isRegularFile)
                    .map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(SUFFIX))
                    .forEach(name -> names.add(folder + "/" + name));
        }
    }

    private static void listJar(Path jar, String folder, TreeSet<String> names) throws IOException {
        String prefix = folder + "/";
        // JarFile reads the central directory only: no entry is inflated
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            file.stream()
                    .map(JarEntry::getName)
                    .filter(name -> name.startsWith(prefix) && name.endsWith(SUFFIX)
                            && name.indexOf('/', prefix.length()) < 0)
                    .forEach(names::add);
        }
    }
}
