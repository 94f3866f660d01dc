package org.wikiedits.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The size of the package graph, from {@code jdeps -verbose:package} over {@code target/classes}: packages,
 * arrows between them, and floors (the longest path, subpackages counted as packages). Prints them, so a
 * note can quote a run, and holds the layout to no cycle and at most {@value #MAX_FLOORS} floors.
 */
class PackageGraphTest {

    private static final int MAX_FLOORS = 8;
    private static final Pattern ARROW = Pattern.compile("^\\s+(org\\.wikiedits[\\w.]*)\\s+->\\s+(org\\.wikiedits[\\w.]*)\\s", Pattern.MULTILINE);

    @Test
    void packageGraphHasNoCycleAndAtMostEightFloors() {
        Path classes = Path.of("target", "classes");
        assertThat(classes.resolve("org/wikiedits")).as("compiled classes (run through Maven)").isDirectory();
        Map<String, Set<String>> arrows = packageArrows(classes);

        int arrowCount = arrows.values().stream().mapToInt(Set::size).sum();
        List<List<String>> cycles = cycles(arrows);
        Map<String, Integer> floors = new HashMap<>();
        int height = cycles.isEmpty() ? arrows.keySet().stream().mapToInt(p -> floor(p, arrows, floors)).max().orElse(0) : -1;
        System.out.printf("package graph (jdeps -verbose:package target/classes): %d packages, %d arrows, %s floors, %d cycles%n",
                arrows.size(), arrowCount, height < 0 ? "(a cycle: no)" : height, cycles.size());
        cycles.forEach(cycle -> System.out.println("  cycle through " + cycle.size() + ": " + cycle));
        new TreeMap<>(floors).forEach((p, f) -> System.out.printf("  floor %d  %s -> %s%n", f, p, arrows.get(p)));

        assertThat(arrows).as("packages jdeps found (a parse that finds none would pass everything)").hasSizeGreaterThan(10);
        assertThat(cycles).as("package cycles").isEmpty();
        assertThat(height).as("floors (the longest path: " + longestPath(arrows, floors) + ")").isLessThanOrEqualTo(MAX_FLOORS);
    }

    /** Package -> the other packages it uses, every org.wikiedits package a key. */
    private static Map<String, Set<String>> packageArrows(Path classes) {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("no jdeps in this JDK"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:package", "-e", "org\\.wikiedits.*",
                classes.toString());
        assertThat(status).as("jdeps exit status; stderr: " + err).isZero();
        Map<String, Set<String>> arrows = new TreeMap<>();
        Matcher m = ARROW.matcher(out.toString());
        while (m.find()) {
            arrows.computeIfAbsent(m.group(1), k -> new TreeSet<>());
            arrows.computeIfAbsent(m.group(2), k -> new TreeSet<>());
            if (!m.group(1).equals(m.group(2))) {
                arrows.get(m.group(1)).add(m.group(2));
            }
        }
        return arrows;
    }

    /** Strongly connected components of more than one package (Tarjan). */
    private static List<List<String>> cycles(Map<String, Set<String>> arrows) {
        List<List<String>> found = new ArrayList<>();
        new Object() {
            final Map<String, Integer> index = new HashMap<>();
            final Map<String, Integer> low = new HashMap<>();
            final List<String> stack = new ArrayList<>();
            int next;

            void visit(String v) {
                index.put(v, next);
                low.put(v, next++);
                stack.add(v);
                for (String w : arrows.get(v)) {
                    if (!index.containsKey(w)) {
                        visit(w);
                        low.put(v, Math.min(low.get(v), low.get(w)));
                    } else if (stack.contains(w)) {
                        low.put(v, Math.min(low.get(v), index.get(w)));
                    }
                }
                if (low.get(v).equals(index.get(v))) {
                    List<String> component = new ArrayList<>();
                    String w;
                    do {
                        w = stack.remove(stack.size() - 1);
                        component.add(w);
                    } while (!w.equals(v));
                    if (component.size() > 1) {
                        found.add(component);
                    }
                }
            }

            void run() {
                arrows.keySet().stream().filter(v -> !index.containsKey(v)).toList().forEach(this::visit);
            }
        }.run();
        return found;
    }

    /** 1 for a package that uses no other; else one more than the highest package it uses (the graph has no cycle). */
    private static int floor(String p, Map<String, Set<String>> arrows, Map<String, Integer> floors) {
        Integer known = floors.get(p);
        if (known == null) {
            known = 1 + arrows.get(p).stream().mapToInt(q -> floor(q, arrows, floors)).max().orElse(0);
            floors.put(p, known);
        }
        return known;
    }

    private static String longestPath(Map<String, Set<String>> arrows, Map<String, Integer> floors) {
        List<String> path = new ArrayList<>();
        String p = floors.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
        while (p != null) {
            path.add(p.replace("org.wikiedits.", ""));
            p = arrows.get(p).stream().max((a, b) -> floors.get(a) - floors.get(b)).orElse(null);
        }
        return String.join(" -> ", path);
    }
}
