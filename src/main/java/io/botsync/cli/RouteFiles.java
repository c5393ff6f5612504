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
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
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

    private static List<Path> routeFiles(CamelContext camel) {
        return routeFiles(key -> camel.getPropertiesComponent().resolveProperty(key).orElse(null));
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
            if (t instanceof YamlEngineException yaml) {
                return new ConfigException("a route file is wrong: " + yamlProblem(camel, yaml), e);
            }
            if (route == null && t instanceof FailedToCreateRouteException failed) {
                route = failed.getRouteId();
            } else if (route == null && t instanceof FailedToStartRouteException failed) {
                route = failed.getRouteId();
            }
        }
        String why = reasons(e);
        if (route == null && innermost(e).getMessage() == null) {
            Optional<Path> culprit = culprit(camel, innermost(e));
            if (culprit.isPresent()) {
                return new ConfigException("a route file is wrong: " + culprit.get() + ": Camel cannot read it ("
                        + innermost(e).getClass().getSimpleName() + ", without a message: a step or an item that is empty"
                        + " or of a type Camel does not expect there, such as a list item with nothing under it)", e);
            }
        }
        return new ConfigException(route == null ? "cannot start: " + templateUsers(camel, why) + why
                : where(camel, route) + ": " + why, e);
    }

    private static Throwable innermost(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * The route file that fails the same way alone, for a failure Camel gave no message and no file (its YAML DSL
     * throws a bare UnsupportedOperationException for a list item with nothing under it): each file is loaded into a
     * scratch Camel context, and the first whose loading throws the same kind of exception without a message is named.
     */
    private static Optional<Path> culprit(CamelContext camel, Throwable failure) {
        if (camel == null) {
            return Optional.empty();
        }
        for (Path file : routeFiles(camel)) {
            try (DefaultCamelContext scratch = new DefaultCamelContext()) {
                PluginHelper.getRoutesLoader(scratch).loadRoutes(
                        PluginHelper.getResourceLoader(scratch).resolveResource("file:" + file));
            } catch (Exception alone) {
                Throwable root = innermost(alone);
                if (root.getClass() == failure.getClass() && root.getMessage() == null) {
                    return Optional.of(file);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The parser's message, which names the file, line and column when it has a position. An error in reading the
     * characters (a control character, a byte that is not UTF-8) has none: the files are parsed again to find it.
     */
    private static String yamlProblem(CamelContext camel, YamlEngineException yaml) {
        if (yaml instanceof MarkedYamlEngineException) {
            return yaml.getMessage().strip();
        }
        for (Path file : routeFiles(camel)) {
            String text = read(file);
            try {
                new Load(LoadSettings.builder().setLabel(file.toString()).build()).loadAllFromString(text).forEach(d -> { });
            } catch (YamlEngineException again) {
                String line = again instanceof ReaderException reader
                        ? " (line " + (1 + text.substring(0, Math.min(reader.getPosition(), text.length()))
                                .chars().filter(c -> c == '\n').count()) + ")" : "";
                return file + line + ": " + again.getMessage().strip();
            }
        }
        return yaml.getMessage().strip();
    }

    /** For a template Camel could not make a route from, the files that use it ("in accounts.yaml: "), else nothing. */
    private static String templateUsers(CamelContext camel, String why) {
        Matcher template = Pattern.compile("Route template (\\S+)").matcher(why);
        if (camel == null || !template.find()) {
            return "";
        }
        Pattern uses = Pattern.compile("routeTemplateRef:\\s*[\"']?" + Pattern.quote(template.group(1)) + "[\"']?\\s*$", Pattern.MULTILINE);
        List<String> files = routeFiles(camel).stream().filter(f -> uses.matcher(read(f)).find())
                .map(Path::toString).toList();
        return files.isEmpty() ? "" : "in " + String.join(", ", files) + ": ";
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
        // Camel ends some messages with the object it was making ("on: org.apache.camel.reifier.LogReifier@7301eebe")
        return message.length() == 0 ? e.toString() : message.toString().replaceAll(" on: [\\w.$]+@\\p{XDigit}+", "");
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
        String configurations = configurationFiles(routeFiles(camel), definition);
        if (definition.getResource() != null) {
            return definition.getResource().getLocation() + ": route " + routeId + configurations;
        }
        Pattern declares = Pattern.compile("(?m)^\\s*routeId:\\s*[\"']?" + Pattern.quote(routeId) + "[\"']?\\s*$");
        String file = routeFiles(camel).stream().filter(f -> declares.matcher(read(f)).find()).map(Path::toString)
                .findFirst().orElse(null);
        Map<String, Object> parameters = definition.getTemplateParameters() == null ? Map.of() : definition.getTemplateParameters();
        // the template whose parameters the route's share the most of (a template file edited wrong may lack one)
        String template = model.getRouteTemplateDefinitions().stream()
                .filter(t -> overlap(t, parameters.keySet()) > 0)
                .max(java.util.Comparator.comparingLong(t -> overlap(t, parameters.keySet())))
                .map(t -> " (made from the template " + t.getId()
                        + (t.getResource() == null ? "" : " in " + t.getResource().getLocation()) + ")")
                .orElse("");
        return (file == null ? "" : file + ": ") + "route " + routeId + template + configurations;
    }

    private static long overlap(org.apache.camel.model.RouteTemplateDefinition template, java.util.Set<String> wanted) {
        return template.getTemplateParameters().stream().filter(p -> wanted.contains(p.getName())).count();
    }

    /**
     * The files of the route configurations (error handling) a route uses: a step of theirs may be what failed. Camel
     * keeps no file for a route configuration of a YAML file, so the files that declare its id are found by their text.
     */
    private static String configurationFiles(List<Path> routeFiles, RouteDefinition route) {
        List<String> ids = route.getRouteConfigurationId() == null ? List.of()
                : List.of(route.getRouteConfigurationId().split("\\s*,\\s*"));
        List<String> files = routeFiles.stream().filter(file -> {
            String text = read(file);
            return text.contains("routeConfiguration:") && ids.stream().anyMatch(id -> Pattern.compile(
                    "(?m)^\\s*id:\\s*[\"']?" + Pattern.quote(id) + "[\"']?\\s*$").matcher(text).find());
        }).map(Path::toString).toList();
        return files.isEmpty() ? "" : " (with the route configuration in " + String.join(", ", files) + ")";
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8); // bytes that are not UTF-8 replaced, as Camel reads them
        } catch (IOException e) {
            return ""; // unreadable now: Camel read it a moment ago; the message names the route instead
        }
    }
}
