package io.botsync.service;

import io.botsync.sync.ConfigException;
import io.botsync.sync.Source;
import io.botsync.sync.Sources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accounts the route files schedule: every route made from the {@code sync-account} template names an
 * account and its platform. Read from Camel's model after the route files are loaded and before any route starts,
 * so that a schedule naming an unknown platform stops start-up, and an account whose keys are not set is left
 * stopped (said once) instead of failing at every trigger.
 */
final class ScheduledAccounts {

    static final String TEMPLATE = "sync-account";

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledAccounts.class);

    private ScheduledAccounts() {
    }

    /**
     * Declares every scheduled account in {@code sources}.
     *
     * @return the names of the accounts that will run
     * @throws ConfigException naming the route file and what is wrong
     */
    static List<String> declare(CamelContext camel, Sources sources, List<Path> files) {
        List<String> scheduled = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (RouteDefinition route : camel.getCamelContextExtension().getContextPlugin(Model.class).getRouteDefinitions()) {
            Map<String, Object> parameters = route.getTemplateParameters();
            if (parameters == null || !parameters.containsKey("account")) {
                continue;
            }
            String account = String.valueOf(parameters.get("account")).trim();
            String file = fileOf(account, files);
            if (seen.contains(account)) {
                throw new ConfigException(file + ": the account " + account + " is scheduled twice; keep one "
                        + TEMPLATE + " entry per account");
            }
            seen.add(account);
            Source source;
            try {
                source = sources.declare(account, (String) parameters.get("platform"));
            } catch (ConfigException e) {
                throw new ConfigException(file + ": " + e.getMessage(), e);
            }
            if (!source.configured()) {
                LOG.info("{}: not configured (set {}); its schedule stays stopped", account, String.join(", ", source.missingKeys()));
                route.setAutoStartup("false");
            } else if (!"false".equals(route.getAutoStartup())) {
                scheduled.add(account);
            }
        }
        return scheduled;
    }

    /**
     * The route file that names an account. Camel does not keep the file a templated route came from, so the files
     * are searched for the account's parameter value.
     */
    private static String fileOf(String account, List<Path> files) {
        Pattern value = Pattern.compile("(?m)^\\s*value:\\s*[\"']?" + Pattern.quote(account) + "[\"']?\\s*$");
        for (Path file : files) {
            try {
                if (value.matcher(Files.readString(file)).find()) {
                    return file.toString();
                }
            } catch (IOException e) {
                // unreadable now: Camel read it a moment ago; name the folder instead
            }
        }
        return files.isEmpty() ? "routes (inside the jar)" : "routes in " + files.get(0).getParent();
    }
}
