package org.wikiedits.reload;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.BeanProcessorFactory;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Route hot reload that keeps the pipeline running. With Camel's own
 * {@code camel.main.routes-reload-enabled=true} and {@code camel.main.routes-reload-directory=routes},
 * Camel 4.17 watches only the top folder and, on a save, removes every route and loads them all again
 * (which stopped the pipeline: the same ids came back twice and failed). This takes over the watcher
 * Camel made: it watches the folder's subfolders too, accepts only the route files this run loaded
 * (the {@code file:} entries of {@code camel.main.routes-include-pattern}: {@code routes/} and the
 * mode's folders), and swaps only the saved file's routes ({@link RouteFileSwap}), logging what it did.
 */
public final class RouteHotReload extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(RouteHotReload.class);
    private static final String SUFFIX = ".camel.yaml";
    /** A save can arrive as several writes: a file is read once it has stayed the same this long. */
    private static final long STEADY_MILLIS = 150;

    /**
     * Per file, the text of the last save handled, whatever came of it: a second watcher event of that save
     * is skipped. Not the text last loaded: after a refused save, the file saved back as it was must reload.
     */
    private final Map<Path, String> handledContent = new HashMap<>();
    private List<Folder> folders = List.of();
    private RouteFileSwap swap;

    /** A folder of route files ({@code routes/local}) and the pattern of their names ({@code *.camel.yaml}). */
    record Folder(Path dir, PathMatcher names, String glob) {
        static Folder of(String pattern) {
            Path path = RouteFileSwap.pathOf(pattern);
            String glob = path.getFileName().toString();
            return new Folder(path.getParent(), FileSystems.getDefault().getPathMatcher("glob:" + glob), glob);
        }

        boolean contains(Path file) {
            return file.getParent().equals(dir) && names.matches(file.getFileName());
        }
    }

    /** The folders of route files that {@code includePattern} loads from the file system (its {@code file:} entries). */
    static List<Folder> folders(String includePattern) {
        List<Folder> folders = new ArrayList<>();
        if (includePattern != null) {
            for (String entry : includePattern.split(",")) {
                if (entry.trim().startsWith("file:")) {
                    folders.add(Folder.of(entry.trim()));
                }
            }
        }
        return folders;
    }

    @Override
    public void afterConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        RouteWatcherReloadStrategy watcher = context.hasService(RouteWatcherReloadStrategy.class);
        if (watcher == null) {
            return; // camel.main.routes-reload-enabled is off
        }
        useFolders(folders(main.configure().getRoutesIncludePattern()));
        IntakeGate gate = prepare(context);
        swap = new RouteFileSwap(context, gate, context.getShutdownStrategy().getTimeUnit().toMillis(context.getShutdownStrategy().getTimeout()),
                this::routeFiles);
        watcher.setRecursive(true);
        watcher.setFileFilter(this::accepts);
        watcher.setResourceReload((name, resource) -> reload(resource));
        Path watched = Path.of(watcher.getFolder()).toAbsolutePath().normalize();
        if (folders.isEmpty()) {
            LOG.warn("Route reload watches {}, but this run loaded no route files from a folder (packaged routes): copy"
                    + " src/main/resources/routes to ./routes to edit them", watched);
        } else {
            LOG.info("Route reload: saving a route file in {} reloads that file's routes only (the others keep running)",
                    String.join(", ", folders.stream().map(folder -> folder.dir().resolve(folder.glob()).toString()).toList()));
        }
    }

    /** Before the routes are created: the gate on every route, and bean steps that leave the context's services running. */
    static IntakeGate prepare(CamelContext context) {
        IntakeGate gate = new IntakeGate();
        context.addRoutePolicyFactory(gate);
        context.getCamelContextExtension().addContextPlugin(BeanProcessorFactory.class,
                new SharedBeanSteps(PluginHelper.getBeanProcessorFactory(context)));
        return gate;
    }

    void useFolders(List<Folder> routeFolders) {
        folders = List.copyOf(routeFolders);
    }

    /** Test seam: what {@link #afterConfigure} sets up from Camel's watcher. */
    void useSwap(RouteFileSwap routeFileSwap) {
        swap = routeFileSwap;
    }

    /** The route files this run loads from its folders, now. */
    List<Path> routeFiles() {
        List<Path> files = new ArrayList<>();
        for (Folder folder : folders) {
            try (java.util.stream.Stream<Path> listed = Files.list(folder.dir())) {
                listed.filter(Files::isRegularFile).filter(folder::contains).sorted().forEach(files::add);
            } catch (IOException e) {
                LOG.debug("cannot list {}", folder.dir(), e);
            }
        }
        return files;
    }

    /** Route files of this run pass; another mode's route file is named in the log once per save; anything else is ignored. */
    boolean accepts(File file) {
        Path path = file.toPath().toAbsolutePath().normalize();
        if (folders.stream().anyMatch(folder -> folder.contains(path))) {
            return true;
        }
        if (path.getFileName().toString().endsWith(SUFFIX)) {
            LOG.info("Not reloaded: {} is not one of this run's route folders (another mode's or sink's routes)", file);
        }
        return false;
    }

    /** Runs on Camel's watcher thread, one file at a time; never throws (Camel would log a stack trace). */
    void reload(Resource resource) {
        Path file = RouteFileSwap.pathOf(resource.getLocation());
        String location = resource.getLocation().replaceFirst("^file:", "");
        try {
            String content = steadyContent(file);
            if (content == null) {
                LOG.warn("{} was deleted: its routes keep running until the app restarts", location);
                return;
            }
            if (content.equals(handledContent.put(file, content))) {
                return; // a second event of the same save
            }
            Resource steady = PluginHelper.getResourceLoader(swap.context()).resolveResource("file:" + location);
            RouteFileSwap.Outcome outcome = swap.swap(steady);
            StringBuilder line = new StringBuilder("Reloaded ").append(location).append(": routes ")
                    .append(String.join(", ", outcome.routes()));
            if (!outcome.added().isEmpty()) {
                line.append("; new: ").append(String.join(", ", outcome.added()));
            }
            if (!outcome.removed().isEmpty()) {
                line.append("; removed (no longer in the file): ").append(String.join(", ", outcome.removed()));
            }
            line.append(" (intake held ").append(outcome.heldMillis()).append(" ms)");
            LOG.info(line.toString());
        } catch (RouteFileSwap.Refused e) {
            LOG.warn("Refused {} (the running routes are unchanged; fix the file and save it again): {}", location, e.getMessage());
            LOG.debug("Why {} was refused", location, e);
        } catch (RouteFileSwap.RolledBack e) {
            LOG.warn("Refused {}: its routes failed to start ({}); the previous routes run again. Fix the file and save it again",
                    location, e.getMessage());
            LOG.debug("Why the routes of {} failed to start", location, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.error("The routes of {} failed to start, and so did the previous ones ({}); they are stopped until you fix the file and save it again",
                    location, RouteFileSwap.rootMessage(e), e);
        }
    }

    /** The file's text once two reads {@link #STEADY_MILLIS} apart agree (an editor may write it in steps), or null if it is gone. */
    private static String steadyContent(Path file) throws IOException, InterruptedException {
        String previous = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            if (!Files.exists(file)) {
                return null;
            }
            String content = Files.readString(file, StandardCharsets.UTF_8);
            if (content.equals(previous) || System.nanoTime() > deadline) {
                return content;
            }
            previous = content;
            Thread.sleep(STEADY_MILLIS);
        }
    }
}
