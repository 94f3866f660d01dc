package org.wikiedits.reload;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.apache.camel.RouteConfigurationsBuilder;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.TemplatedRouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces the routes of one route file in a running Camel context, and only those.
 *
 * <ol>
 *   <li>The file is parsed first; a file that does not parse, defines neither a route nor a route
 *       template, has a route without an id or reuses the id of another file's route (or templated
 *       route) is refused and nothing changes.</li>
 *   <li>The intake is held ({@link IntakeGate}) until every exchange already inside has finished and
 *       every in-process queue is empty, so the commit protocol sees each event once: nothing in
 *       flight is cut off, nothing queued is dropped.</li>
 *   <li>The file's routes are stopped and replaced (route configurations and route templates first,
 *       then routes, then the routes made from its templates, in this file or in any other route file
 *       of the run, as {@code routes/sinks.camel.yaml}'s sink templates are used by the mode folders);
 *       a route the file no longer defines is removed. A source route that is replaced resumes from the checkpoint, and the sinks drop the
 *       events they already hold (they are idempotent by {@code meta.id}).</li>
 *   <li>The intake goes on.</li>
 * </ol>
 */
final class RouteFileSwap {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFileSwap.class);

    private final CamelContext context;
    private final IntakeGate gate;
    private final long settleMillis;
    /** This run's route files: where the routes made from a saved file's templates are declared. */
    private final Supplier<List<Path>> routeFiles;

    RouteFileSwap(CamelContext context, IntakeGate gate, long settleMillis, Supplier<List<Path>> routeFiles) {
        this.context = context;
        this.gate = gate;
        this.settleMillis = settleMillis;
        this.routeFiles = routeFiles;
    }

    CamelContext context() {
        return context;
    }

    /** What a swap did: the route ids now running from the file, those it added and removed, and how long the intake waited. */
    record Outcome(List<String> routes, List<String> added, List<String> removed, long heldMillis) {
    }

    /** A file that cannot be loaded; nothing was changed. */
    static final class Refused extends Exception {
        Refused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * @throws Refused when the file is refused before anything changed
     * @throws RolledBack when its new routes failed to start and the previous ones were started again
     * @throws Exception when even that failed
     */
    Outcome swap(Resource resource) throws Exception {
        Parsed parsed = parse(resource);
        Path file = pathOf(resource.getLocation());
        Map<String, Elsewhere> elsewhere = templatedRoutesElsewhere(file);
        List<Route> before = routesFrom(file);
        List<String> beforeIds = before.stream().map(Route::getRouteId).toList();
        checkIdsAreTheFilesOwn(parsed, file, elsewhere);
        // the running routes that other files make from this file's templates: made again from the new ones
        List<TemplatedRouteDefinition> remade = elsewhere.values().stream()
                .filter(route -> parsed.templates.contains(route.definition().getRouteTemplateRef()))
                .filter(route -> context.getRoute(route.definition().getRouteId()) != null)
                .map(Elsewhere::definition).toList();
        List<String> remadeIds = remade.stream().map(TemplatedRouteDefinition::getRouteId).toList();
        // routes made from a template do not name the file as their source: ask by id
        List<String> existed = parsed.ids().stream().filter(id -> context.getRoute(id) != null).toList();

        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        List<RouteDefinition> running = new ArrayList<>(beforeIds.stream().map(model::getRouteDefinition).filter(Objects::nonNull).toList());
        Stream.concat(parsed.templated.stream(), remadeIds.stream()).filter(id -> !beforeIds.contains(id))
                .map(model::getRouteDefinition).filter(Objects::nonNull).forEach(running::add);
        List<RouteTemplateDefinition> templatesBefore = parsed.templates.stream().map(model::getRouteTemplateDefinition)
                .filter(Objects::nonNull).toList();
        List<Route> replaced = new ArrayList<>(before);
        remadeIds.stream().map(context::getRoute).filter(Objects::nonNull).forEach(replaced::add);

        long start = System.nanoTime();
        gate.close();
        try {
            awaitSettled(resource.getLocation());
            gate.drop(replaced);
            try {
                replace(parsed, remade);
            } catch (Exception e) {
                Set<String> newIds = new LinkedHashSet<>(parsed.ids());
                newIds.addAll(remadeIds);
                restore(model, running, newIds, parsed.templates, templatesBefore);
                throw new RolledBack(rootMessage(e), e);
            }
            List<String> removed = new ArrayList<>();
            for (String id : beforeIds) {
                if (!parsed.ids().contains(id) && !remadeIds.contains(id)) {
                    stopAndRemove(id);
                    removed.add(id);
                }
            }
            List<String> added = parsed.ids().stream().filter(id -> !existed.contains(id)).toList();
            List<String> routes = new ArrayList<>(parsed.ids());
            remadeIds.stream().filter(id -> !routes.contains(id)).forEach(routes::add);
            return new Outcome(List.copyOf(routes), added, removed, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } finally {
            gate.open();
        }
    }

    /** Route configurations and templates first (routes refer to them), then routes, then the routes made from the templates. */
    private void replace(Parsed parsed, List<TemplatedRouteDefinition> remade) throws Exception {
        if (parsed.builder instanceof RouteConfigurationsBuilder configurations) {
            configurations.updateRouteConfigurationsToCamelContext(context);
        }
        for (String template : parsed.templates) {
            context.removeRouteTemplates(template); // else Camel would keep making routes from the old one
        }
        parsed.builder.updateRoutesToCamelContext(context);
        for (String id : parsed.templated) {
            stopAndRemove(id);
        }
        parsed.builder.addTemplatedRoutesToCamelContext(context);
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        for (TemplatedRouteDefinition route : remade) {
            stopAndRemove(route.getRouteId());
            model.addRouteFromTemplatedRoute(route);
        }
    }

    /** The new routes failed to start: whatever of them runs goes, and the templates and routes that ran before come back. */
    private void restore(Model model, List<RouteDefinition> running, Set<String> newIds, List<String> templates,
                         List<RouteTemplateDefinition> templatesBefore) throws Exception {
        for (String id : newIds) {
            stopAndRemove(id);
        }
        for (String template : templates) {
            context.removeRouteTemplates(template);
        }
        model.addRouteTemplateDefinitions(templatesBefore);
        for (RouteDefinition route : running) {
            stopAndRemove(route.getRouteId());
        }
        model.addRouteDefinitions(running);
    }

    /** The file parsed, but its routes failed to start; the routes that ran before run again. */
    static final class RolledBack extends Exception {
        RolledBack(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The file's routes, route templates and templated routes, parsed but not added to Camel. */
    private record Parsed(RouteBuilder builder, List<String> routes, List<String> templates, List<String> templated) {
        Set<String> ids() {
            Set<String> ids = new LinkedHashSet<>(routes);
            ids.addAll(templated);
            return ids;
        }
    }

    private Parsed parse(Resource resource) throws Refused {
        RouteBuilder builder;
        try {
            Collection<RoutesBuilder> builders = PluginHelper.getRoutesLoader(context).findRoutesBuilders(resource);
            if (builders.size() != 1 || !(builders.iterator().next() instanceof RouteBuilder only)) {
                throw new Refused("it is not a route file Camel can load", null);
            }
            builder = only;
            builder.configureRoutes(context);
        } catch (Refused e) {
            throw e;
        } catch (Exception e) {
            throw new Refused(rootMessage(e), e);
        }
        List<String> routes = new ArrayList<>();
        for (RouteDefinition route : builder.getRouteCollection().getRoutes()) {
            if (route.getRouteId() == null || route.getRouteId().isBlank()) {
                throw new Refused("a route has no id (from " + route.getInput().getEndpointUri()
                        + "): give every route an id, it is how a reload finds the route it replaces", null);
            }
            routes.add(route.getRouteId());
        }
        List<String> templates = builder.getRouteTemplateCollection().getRouteTemplates().stream()
                .map(RouteTemplateDefinition::getId).filter(Objects::nonNull).toList();
        List<String> templated = new ArrayList<>();
        for (TemplatedRouteDefinition route : builder.getTemplatedRouteCollection().getTemplatedRoutes()) {
            if (route.getRouteId() == null || route.getRouteId().isBlank()) {
                throw new Refused("a templatedRoute of " + route.getRouteTemplateRef() + " has no routeId", null);
            }
            templated.add(route.getRouteId());
        }
        if (routes.isEmpty() && templated.isEmpty() && templates.isEmpty()) {
            throw new Refused("it defines no route and no route template (an empty or half-saved file?)", null);
        }
        return new Parsed(builder, routes, templates, templated);
    }

    /** A route id that another file's route has would replace that route, or clash with it: refused. */
    private void checkIdsAreTheFilesOwn(Parsed parsed, Path file, Map<String, Elsewhere> elsewhere) throws Refused {
        for (String id : parsed.ids()) {
            // a route made from a template names no source file: the file that declares it owns it
            if (elsewhere.containsKey(id)) {
                throw new Refused("route id '" + id + "' is already defined in file:" + elsewhere.get(id).displayName()
                        + ": route ids must be unique", null);
            }
            Route running = context.getRoute(id);
            if (running != null && running.getSourceResource() != null) {
                Path owner = pathOf(running.getSourceResource().getLocation());
                if (!owner.equals(file)) {
                    throw new Refused("route id '" + id + "' is already defined in " + running.getSourceResource().getLocation()
                            + ": route ids must be unique", null);
                }
            }
        }
    }

    /** A templatedRoute declared in another route file of this run. */
    private record Elsewhere(TemplatedRouteDefinition definition, Path file) {
        String displayName() {
            Path relative = Path.of("").toAbsolutePath().relativize(file);
            return (relative.startsWith("..") ? file : relative).toString().replace('\\', '/');
        }
    }

    /**
     * The templatedRoutes of this run's other route files, by route id. A file that does not parse now
     * (saved half-way) is skipped: its routes run as they were loaded.
     */
    private Map<String, Elsewhere> templatedRoutesElsewhere(Path file) {
        Map<String, Elsewhere> routes = new LinkedHashMap<>();
        for (Path other : routeFiles.get()) {
            Path path = other.toAbsolutePath().normalize();
            if (path.equals(file) || !Files.isRegularFile(path)) {
                continue;
            }
            try {
                Resource resource = PluginHelper.getResourceLoader(context).resolveResource("file:" + path);
                for (RoutesBuilder builder : PluginHelper.getRoutesLoader(context).findRoutesBuilders(resource)) {
                    if (builder instanceof RouteBuilder routeBuilder) {
                        routeBuilder.configureRoutes(context);
                        for (TemplatedRouteDefinition route : routeBuilder.getTemplatedRouteCollection().getTemplatedRoutes()) {
                            if (route.getRouteId() != null) {
                                routes.put(route.getRouteId(), new Elsewhere(route, path));
                            }
                        }
                    }
                }
            } catch (Exception e) {
                LOG.debug("Skipped {} while looking for routes made from templates: {}", path, rootMessage(e));
            }
        }
        return routes;
    }

    /** The routes Camel loaded from {@code file}. */
    private List<Route> routesFrom(Path file) {
        return context.getRoutes().stream()
                .filter(route -> route.getSourceResource() != null && pathOf(route.getSourceResource().getLocation()).equals(file))
                .toList();
    }

    private void awaitSettled(String location) throws Refused, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settleMillis);
        int quietChecks = 0;
        while (quietChecks < 2) { // twice in a row: a queue's consumer may have just taken the last event
            if (gate.settled() && queued() == 0) {
                quietChecks++;
            } else {
                quietChecks = 0;
            }
            if (System.nanoTime() > deadline) {
                throw new Refused("the pipeline did not come to rest within " + settleMillis + " ms (" + queued()
                        + " events queued, a sink may be retrying); nothing was changed, save " + location + " again later", null);
            }
            Thread.sleep(10);
        }
    }

    /** Events waiting in the in-process queues. */
    private int queued() {
        int queued = 0;
        for (Endpoint endpoint : context.getEndpoints()) {
            if (endpoint instanceof SedaEndpoint seda) {
                queued += seda.getCurrentQueueSize();
            }
        }
        return queued;
    }

    private void stopAndRemove(String id) throws Exception {
        if (context.getRoute(id) != null) {
            context.getRouteController().stopRoute(id);
            context.removeRoute(id);
        }
    }

    /** {@code file:routes/x.camel.yaml} (or a plain path) as an absolute, normalized path. */
    static Path pathOf(String location) {
        String path = location.startsWith("file:") ? location.substring("file:".length()) : location;
        return Path.of(path).toAbsolutePath().normalize();
    }

    /** The innermost message, which for YAML names the line and column. */
    static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        if (root != error && error.getMessage() != null && !error.getMessage().contains(message)) {
            message = error.getMessage() + ": " + message;
        }
        return message;
    }
}
