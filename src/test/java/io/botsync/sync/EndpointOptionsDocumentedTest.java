package io.botsync.sync;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.botsync.push.OutboxEndpoint;
import io.botsync.push.PlatformEndpoint;
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
        for (Class<?> endpoint : new Class<?>[] {SourceEndpoint.class, MapEndpoint.class, WarehouseEndpoint.class,
                OutboxEndpoint.class, PlatformEndpoint.class}) {
            for (Field field : endpoint.getDeclaredFields()) {
                if (field.isAnnotationPresent(UriParam.class)) {
                    assertTrue(readme.contains("`" + field.getName() + "`"),
                            endpoint.getSimpleName() + "'s option " + field.getName() + " is not in the README");
                }
                if (field.isAnnotationPresent(UriPath.class)) {
                    assertTrue(readme.contains("<" + field.getName() + ">"),
                            endpoint.getSimpleName() + "'s path " + field.getName() + " is not in the README");
                }
            }
        }
    }
}
