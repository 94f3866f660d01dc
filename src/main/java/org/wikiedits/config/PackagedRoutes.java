package org.wikiedits.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route files packaged under {@code routes/} and its mode folders ({@code routes/local/},
 * {@code routes/aws/}, ...), named one by one for {@code camel.main.routes-include-pattern}.
 *
 * <p>Why not {@code classpath:routes/*.camel.yaml}: Camel resolves a classpath wildcard by reading
 * every jar on the class path entry by entry with a {@code JarInputStream}, which inflates every
 * entry. The shaded jar holds about 85,000 entries (630 MB inflated), Camel Main resolves the
 * include pattern twice (modeline pre-parse, then route loading), and two patterns made four
 * full passes: about 90 % of Camel's 20-45 s boot. Listing the jar's central directory here takes
 * milliseconds, and Camel loads explicit {@code classpath:} names directly, without scanning.
 */
public final class PackagedRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(PackagedRoutes.class);

    static final String FOLDER = "routes";
    static final String SUFFIX = ".camel.yaml";
    /** The sink route templates, which every mode's sink routes are made from. */
    static final String TEMPLATES = "sinks" + SUFFIX;

    private PackagedRoutes() {
    }

    /**
     * The routes of {@code folders} ({@code ""} for {@code routes/} itself): from a {@code ./routes/}
     * folder when one exists (it replaces the packaged routes, never merges with them), else the
     * packaged files by name.
     */
    public static String routesPattern(List<String> folders, Path localRoutes) {
        if (Files.isDirectory(localRoutes)) {
            List<String> files = localFiles(folders, localRoutes);
            if (files.isEmpty()) {
                throw new StartupFailure("The folder " + localRoutes.toAbsolutePath().normalize() + " replaces the packaged routes"
                        + " but holds no *" + SUFFIX + " in " + String.join(", ", folders.stream()
                                .map(folder -> folder.isEmpty() ? FOLDER + "/" : FOLDER + "/" + folder + "/").toList())
                        + ": copy src/main/resources/routes there, or remove it to run the packaged routes");
            }
            LOG.info("Routes from {} (replacing the packaged routes): {}", localRoutes.toAbsolutePath().normalize(),
                    String.join(", ", files));
            String base = "file:" + localRoutes.toString().replace('\\', '/');
            List<String> patterns = new ArrayList<>();
            if (folders.contains("") && !files.contains(TEMPLATES)) {
                // a folder copied before the sink templates existed: its own route files are complete, and
                // route files copied since (templatedRoute) find the templates they name
                LOG.info("{} holds no {}: the packaged sink route templates are loaded with it", localRoutes, TEMPLATES);
                patterns.add("classpath:" + FOLDER + "/" + TEMPLATES);
            }
            folders.forEach(folder -> patterns.add(base + (folder.isEmpty() ? "" : "/" + folder) + "/*" + SUFFIX));
            return String.join(",", patterns);
        }
        return includePattern(PackagedRoutes.class.getClassLoader(), folders);
    }

    /**
     * The {@code *.camel.yaml} files that the pattern for {@code folders} picks from {@code localRoutes},
     * relative to it ({@code source.camel.yaml}, {@code local/lake/lake.camel.yaml}), sorted.
     */
    public static List<String> localFiles(List<String> folders, Path localRoutes) {
        TreeSet<String> names = new TreeSet<>();
        for (String folder : folders) {
            Path dir = folder.isEmpty() ? localRoutes : localRoutes.resolve(folder);
            if (Files.isDirectory(dir)) {
                try {
                    listDirectory(dir, folder, names);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list the route folder " + dir, e);
                }
            }
        }
        return names.stream().map(name -> name.startsWith("/") ? name.substring(1) : name).sorted().toList();
    }

    /**
     * The include pattern for the packaged routes in {@code folders} ({@code ""} for {@code routes/}
     * itself, {@code "local"} for {@code routes/local/}, ...): explicit {@code classpath:} names, or
     * Camel's wildcards when the class path cannot be listed (an unknown URL scheme).
     */
    static String includePattern(ClassLoader loader, List<String> folders) {
        List<String> resourceFolders = folders.stream().map(folder -> folder.isEmpty() ? FOLDER : FOLDER + "/" + folder).toList();
        List<String> names = new ArrayList<>();
        for (String folder : resourceFolders) {
            Optional<List<String>> listed = list(loader, folder);
            if (listed.isEmpty()) {
                return String.join(",", resourceFolders.stream().map(f -> "classpath:" + f + "/*" + SUFFIX).toList());
            }
            names.addAll(listed.get());
        }
        if (names.isEmpty()) {
            throw new IllegalStateException("No route files (*" + SUFFIX + ") on the class path in "
                    + String.join(", ", resourceFolders.stream().map(f -> f + "/").toList())
                    + ": is the jar complete? A ./routes/ folder can provide them.");
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
