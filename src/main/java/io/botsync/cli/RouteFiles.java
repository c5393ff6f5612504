package io.botsync.cli;

import io.botsync.sync.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.FailedToStartRouteException;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/** Ops' route files: where they are, and what to tell ops when one stops botsync from starting. */
final class RouteFiles {

    private RouteFiles() {
    }

    /**
     * Where the route files are: every {@code *.yaml} of {@code botsync.routes.dir} when it holds any, else the copies
     * inside the jar (so botsync also works from an empty directory).
     */
    static String includePattern(Function<String, String> properties) {
        List<Path> files = routeFiles(properties);
        return files.isEmpty() ? "classpath:routes/*.yaml" : "file:" + files.get(0).getParent() + "/*.yaml";
    }

    private static List<Path> routeFiles(Function<String, String> properties) {
        String configured = properties.apply("botsync.routes.dir");
        Path dir = Path.of(configured == null || configured.isBlank() ? "routes" : configured.trim()).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /**
     * The property a shipped push route waits for: a route file that reads {@code botsync:outbox/<target>} and is made
     * only when {@code ${properties:KEY:}} is set (its {@code precondition}), for telling ops which key to set.
     */
    static Optional<String> preconditionKey(CamelContext camel, String pattern, String target) {
        Pattern key = Pattern.compile("precondition:\\s*\"\\$\\{properties:([^:}]+):?\\}");
        try {
            for (Resource resource : PluginHelper.getPackageScanResourceResolver(camel).findResources(pattern)) {
                try (InputStream in = resource.getInputStream()) {
                    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    Matcher found = key.matcher(text);
                    if (text.contains("botsync:outbox/" + target + "\"") && found.find()) {
                        return Optional.of(found.group(1));
                    }
                }
            }
        } catch (Exception e) {
            // no hint then: the message names the target alone
        }
        return Optional.empty();
    }

    /**
     * What stopped botsync from starting, as a configuration error (exit 2): a route file that is not YAML or names a
     * step Camel does not know is named with its line and column, as the YAML parser reports them; a route Camel could
     * not make (an unknown endpoint option, an account of an unknown platform) with its file and route id.
     */
    static ConfigException startupError(CamelContext camel, RuntimeException e) {
        String route = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof YamlEngineException) {
                return new ConfigException("a route file is wrong: " + t.getMessage().strip(), e);
            }
            if (route == null && t instanceof FailedToCreateRouteException failed) {
                route = failed.getRouteId();
            } else if (route == null && t instanceof FailedToStartRouteException failed) {
                route = failed.getRouteId();
            }
        }
        String why = reasons(e);
        return new ConfigException(route == null ? "cannot start: " + why : where(camel, route) + ": " + why, e);
    }

    /** The messages of a failure's causes, innermost last, each once; Camel's "failed to create route" wrappers left out. */
    private static String reasons(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException config) {
                return config.getMessage();
            }
        }
        StringBuilder message = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !(t instanceof FailedToCreateRouteException) && !(t instanceof FailedToStartRouteException)
                    && message.indexOf(t.getMessage()) < 0) {
                message.append(message.length() == 0 ? "" : ": ").append(t.getMessage());
            }
        }
        return message.length() == 0 ? e.toString() : message.toString();
    }

    /**
     * The file a route came from, and the route. Camel keeps no file for a route made from a template: the file that
     * declares it ({@code routeId: <id>}, e.g. accounts.yaml) is found by its text, and the template's file is named too.
     */
    private static String where(CamelContext camel, String routeId) {
        Model model = camel == null ? null : camel.getCamelContextExtension().getContextPlugin(Model.class);
        RouteDefinition definition = model == null ? null : model.getRouteDefinition(routeId);
        if (definition == null) {
            return "route " + routeId;
        }
        if (definition.getResource() != null) {
            return definition.getResource().getLocation() + ": route " + routeId;
        }
        Function<String, String> properties = key -> camel.getPropertiesComponent().resolveProperty(key).orElse(null);
        Pattern declares = Pattern.compile("(?m)^\\s*routeId:\\s*[\"']?" + Pattern.quote(routeId) + "[\"']?\\s*$");
        String file = routeFiles(properties).stream().filter(f -> declares.matcher(read(f)).find()).map(Path::toString)
                .findFirst().orElse(null);
        Map<String, Object> parameters = definition.getTemplateParameters() == null ? Map.of() : definition.getTemplateParameters();
        String template = model.getRouteTemplateDefinitions().stream()
                .filter(t -> t.getTemplateParameters().stream().map(p -> p.getName()).toList().containsAll(parameters.keySet()))
                .findFirst()
                .map(t -> " (made from the template " + t.getId()
                        + (t.getResource() == null ? "" : " in " + t.getResource().getLocation()) + ")")
                .orElse("");
        return (file == null ? "" : file + ": ") + "route " + routeId + template;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return ""; // unreadable now: Camel read it a moment ago; the message names the route instead
        }
    }
}
