package io.botsync.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.camel.support.PluginHelper;
import picocli.CommandLine.Command;

/**
 * {@code botsync check}: what start-up checks, without the warehouse or any platform, so ops can check a change before
 * deploying it. A problem is a configuration error like any other (exit 2, the file or key and the fix).
 */
@Command(name = "check", description = "Check the settings, routes/ (every endpoint option) and mappings/ (every mapping"
        + " compiled) without touching the warehouse or any platform; exit 0 when all are good, 2 naming what is wrong.")
final class CheckCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        try (Application app = Application.start(Map.of(), Application.Mode.CHECK)) {
            String pattern = RouteFiles.includePattern(app::property);
            int files = PluginHelper.getPackageScanResourceResolver(app.camel()).findResources(pattern).size();
            Path opsFile = ConfigFile.current();
            System.out.println("settings: good (" + (opsFile == null ? "no properties file" : opsFile)
                    + ", -D properties, BOTSYNC_* variables)");
            System.out.printf("routes: good (%d file%s, %s: %d routes made)%n", files, files == 1 ? "" : "s", pattern,
                    app.camel().getRoutes().size());
            System.out.println("mappings: good (" + String.join(", ", app.checkedMappings()) + ")");
            System.out.println("the warehouse and the platforms were not contacted");
            return Botsync.OK;
        }
    }
}
