package io.botsync.sync;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.camel.Component;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.SimpleTypeConverter;

/**
 * The {@code botsync} Camel component: its endpoints are the stages of a sync, so that a route shows the flow.
 * <ul>
 *   <li>{@code botsync:source/<account>}: a scheduled consumer, one exchange a page (see {@link SourceEndpoint});</li>
 *   <li>{@code botsync:map/<mapping>}: a page's records to canonical users and rejects ({@link MapEndpoint});</li>
 *   <li>{@code botsync:warehouse}: one transaction a page ({@link WarehouseEndpoint}).</li>
 * </ul>
 * Other parts of botsync add stages of their own ({@link #addStage}). Every option is a property of its endpoint:
 * Camel sets and validates them, and refuses an unknown one, naming it.
 */
public final class BotsyncComponent extends DefaultComponent {

    /** Makes the endpoint of a stage; {@code name} is what follows the stage in the URI, or null. */
    public interface Stage {
        Endpoint create(String uri, Component component, String name);
    }

    /**
     * An endpoint whose consumer the commands ask for runs (a sync, a push round): the one-shot commands start its route
     * with the schedule stopped; {@code run} lets the schedule fire.
     */
    public interface OnDemand {
    }

    /** An endpoint that checks its options once Camel has set them. */
    public interface Checked {
        /** @throws ConfigException naming the option and the fix */
        void check();
    }

    private final Pipeline pipeline;
    private final Map<String, Stage> stages = new LinkedHashMap<>();
    private final Map<Class<?>, Function<Object, String>> jsonBodies = new LinkedHashMap<>();

    public BotsyncComponent(Pipeline pipeline) {
        this.pipeline = pipeline;
        addStage("source", (uri, component, name) -> new SourceEndpoint(uri, component, pipeline, named("source", name)));
        addStage("map", (uri, component, name) -> new MapEndpoint(uri, component, pipeline, named("map", name)));
        addJsonBody(FetchedPage.class, page -> PageJson.fetched((FetchedPage) page));
        addJsonBody(MappedPage.class, page -> PageJson.mapped((MappedPage) page));
        addStage("warehouse", (uri, component, name) -> {
            if (name != null) {
                throw new ConfigException("botsync:warehouse takes no name (botsync:warehouse/" + name + ")");
            }
            return new WarehouseEndpoint(uri, component, pipeline);
        });
    }

    public void addStage(String stage, Stage factory) {
        stages.put(stage, factory);
    }

    /**
     * Lets Camel convert a body of this type to its JSON (as {@code String}, {@code byte[]} or a stream), for the steps
     * that write, log or send it.
     */
    public void addJsonBody(Class<?> type, Function<Object, String> json) {
        jsonBodies.put(type, json);
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        int slash = remaining.indexOf('/');
        String stage = slash < 0 ? remaining : remaining.substring(0, slash);
        String name = slash < 0 || slash == remaining.length() - 1 ? null : remaining.substring(slash + 1);
        Stage factory = stages.get(stage);
        if (factory == null) {
            throw new ConfigException("unknown botsync endpoint '" + uri + "': use one of " + String.join(", ",
                    stages.keySet().stream().map(s -> "botsync:" + s + (s.equals("warehouse") ? "" : "/<name>")).toList()));
        }
        return factory.create(uri, this, name);
    }

    @Override
    protected void afterConfiguration(String uri, String remaining, Endpoint endpoint, Map<String, Object> parameters) {
        if (endpoint instanceof Checked checked) {
            checked.check();
        }
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        pipeline.attach(getCamelContext());
        var converters = getCamelContext().getTypeConverterRegistry();
        jsonBodies.forEach((type, json) -> {
            for (Class<?> to : new Class<?>[] {String.class, byte[].class, InputStream.class}) {
                converters.addTypeConverter(to, type, new SimpleTypeConverter(false, (target, exchange, value) -> {
                    String text = json.apply(value);
                    if (target == String.class) {
                        return text;
                    }
                    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                    return target == byte[].class ? bytes : new ByteArrayInputStream(bytes);
                }));
            }
        });
    }

    /**
     * The name after a stage in an endpoint's URI.
     *
     * @throws ConfigException when there is none
     */
    public static String named(String stage, String name) {
        if (name == null || name.isBlank()) {
            throw new ConfigException("botsync:" + stage + " needs a name: botsync:" + stage + "/<name>");
        }
        return name;
    }
}
