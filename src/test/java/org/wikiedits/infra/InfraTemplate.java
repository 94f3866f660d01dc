package org.wikiedits.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * A CloudFormation template of {@code infra/}, read as plain YAML (the templates use long-form
 * intrinsic functions only, so no CloudFormation tags are needed), with the lookups the tests share.
 */
final class InfraTemplate {

    /** The folder of the templates and scripts. */
    static final Path INFRA = Path.of("infra");

    private final Path file;
    private final String text;
    private final Map<String, Object> root;

    private InfraTemplate(Path file) {
        this.file = file;
        try {
            this.text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.root = map(new Load(LoadSettings.builder().build()).loadFromString(text));
    }

    static InfraTemplate main() {
        return new InfraTemplate(INFRA.resolve("wikiedits.yaml"));
    }

    static InfraTemplate artifacts() {
        return new InfraTemplate(INFRA.resolve("artifacts.yaml"));
    }

    /** Every template in infra/, read. */
    static List<InfraTemplate> every() throws IOException {
        return all().stream().map(InfraTemplate::new).toList();
    }

    /** Every template in infra/ (the scripts' and the optional ones). */
    static List<Path> all() throws IOException {
        try (var files = Files.list(INFRA)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    Path file() {
        return file;
    }

    String text() {
        return text;
    }

    Map<String, Object> resources() {
        return map(root.get("Resources"));
    }

    Map<String, Object> resource(String logicalId) {
        Object resource = resources().get(logicalId);
        if (resource == null) {
            throw new AssertionError(file + " has no resource " + logicalId);
        }
        return map(resource);
    }

    Map<String, Object> properties(String logicalId) {
        return map(resource(logicalId).get("Properties"));
    }

    /** Logical ids of the resources of a type, in template order. */
    List<String> resourcesOfType(String type) {
        List<String> ids = new ArrayList<>();
        resources().forEach((id, resource) -> {
            if (type.equals(map(resource).get("Type"))) {
                ids.add(id);
            }
        });
        return ids;
    }

    Map<String, Object> parameters() {
        return map(root.getOrDefault("Parameters", Map.of()));
    }

    Map<String, Object> outputs() {
        return map(root.getOrDefault("Outputs", Map.of()));
    }

    /** The YAML text of one resource (its comments included), for checks on what the template says about it. */
    String resourceText(String logicalId) {
        int start = text.indexOf("\n  " + logicalId + ":\n");
        if (start < 0) {
            throw new AssertionError(file + " has no resource " + logicalId);
        }
        int end = text.indexOf("\n  ", start + 1);
        while (end >= 0 && (text.startsWith("\n    ", end) || text.startsWith("\n  #", end))) {
            end = text.indexOf("\n  ", end + 1);
        }
        return text.substring(start, end < 0 ? text.length() : end);
    }

    /** Calls {@code visitor} with every map in {@code node}, depth first. */
    static void eachMap(Object node, Consumer<Map<String, Object>> visitor) {
        if (node instanceof Map<?, ?> m) {
            visitor.accept(map(m));
            m.values().forEach(v -> eachMap(v, visitor));
        } else if (node instanceof List<?> list) {
            list.forEach(v -> eachMap(v, visitor));
        }
    }

    /** A {@code Fn::If} is taken by both branches; other values as they are: the value's possible forms. */
    static List<Object> branches(Object value) {
        List<Object> forms = new ArrayList<>();
        if (value instanceof Map<?, ?> m && m.size() == 1 && m.containsKey("Fn::If")) {
            List<?> arguments = (List<?>) m.get("Fn::If");
            forms.addAll(branches(arguments.get(1)));
            forms.addAll(branches(arguments.get(2)));
        } else {
            forms.add(value);
        }
        return forms;
    }

    /** A value as a list (a single value becomes a list of one). */
    static List<Object> list(Object value) {
        return value instanceof List<?> l ? new ArrayList<>(l) : value == null ? List.of() : List.of(value);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        if (!(value instanceof Map<?, ?>)) {
            throw new AssertionError("expected a mapping, found " + value);
        }
        return new LinkedHashMap<>((Map<String, Object>) value);
    }

    /** Follows a path of keys through nested mappings. */
    static Object at(Map<String, Object> node, String... keys) {
        Object current = node;
        for (String key : keys) {
            current = map(current).get(key);
            if (current == null) {
                throw new AssertionError("no " + String.join(".", keys) + " (missing " + key + ")");
            }
        }
        return current;
    }
}
