package io.botsync.sync;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.botsync.push.PushEndpoint;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.junit.jupiter.api.Test;

/** Every option of botsync's endpoints is in the README's table of them, so the documentation cannot fall behind. */
class EndpointOptionsDocumentedTest {

    @Test
    void theReadmeListsEveryEndpointOption() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String routes = readme.substring(readme.indexOf("## Routes and endpoints"), readme.indexOf("## Warehouse tables"));
        for (Class<?> endpoint : new Class<?>[] {SourceEndpoint.class, MapEndpoint.class, WarehouseEndpoint.class,
                PushEndpoint.class}) {
            for (Field field : endpoint.getDeclaredFields()) {
                if (field.isAnnotationPresent(UriParam.class)) {
                    assertTrue(routes.contains("`" + field.getName() + "`"),
                            endpoint.getSimpleName() + "'s option " + field.getName() + " is not in the README's Routes section");
                }
                if (field.isAnnotationPresent(UriPath.class)) {
                    assertTrue(routes.contains("<" + field.getName() + ">"),
                            endpoint.getSimpleName() + "'s path " + field.getName() + " is not in the README's Routes section");
                }
            }
        }
    }
}
