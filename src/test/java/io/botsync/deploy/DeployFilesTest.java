package io.botsync.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * What ops deploy with, {@code deploy/}: the systemd unit runs the service as its ExecStart line and an environment
 * file like the example say, and the Dockerfile and the Kubernetes Deployment look for health where {@code run} serves
 * it. No Docker daemon or cluster is needed: their files are read and checked against what the service answers.
 */
class DeployFilesTest {

    private static final Path DEPLOY = Path.of("deploy");
    private static final String LIVE = "/observe/health/live";
    private static final String READY = "/observe/health/ready";

    @Test
    void theUnitStartsTheServiceWithTheEnvironmentFileAndItAnswersReady() throws Exception {
        Map<String, List<String>> unit = systemdService(DEPLOY.resolve("botsync.service"));
        assertEquals(List.of("botsync"), unit.get("User"), "a user of its own");
        assertEquals(List.of("on-failure"), unit.get("Restart"));
        assertEquals(1, unit.get("EnvironmentFile").size(), "the keys come from an environment file");

        // the unit's working folder: ops' routes/ and mappings/, as the README says to lay it out
        Path workDir = Files.createTempDirectory("botsync-deploy");
        copy(Path.of("routes"), workDir.resolve("routes"));
        copy(Path.of("mappings"), workDir.resolve("mappings"));

        // the example, filled in as ops would: a warehouse, and no platform keys (no source is scheduled)
        int port = freePort();
        Path envFile = workDir.resolve("botsync.env");
        Files.writeString(envFile, fillIn(Files.readString(DEPLOY.resolve("botsync.env.example")), Map.of(
                "BOTSYNC_WAREHOUSE_URL", "jdbc:h2:file:" + workDir.resolve("data/botsync"),
                "BOTSYNC_WAREHOUSE_USER", "sa",
                "CAMEL_MANAGEMENT_PORT", String.valueOf(port))));

        // systemd gives the service only the unit's Environment= and then the file's variables (the file wins)
        ProcessBuilder service = new ProcessBuilder(command(unit.get("ExecStart").get(0)))
                .directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("botsync.log").toFile());
        service.environment().clear();
        unit.getOrDefault("Environment", List.of()).forEach(line -> service.environment().putAll(assignments(line)));
        service.environment().putAll(environmentFile(envFile));

        Process run = service.start();
        try {
            HttpResponse<String> ready = awaitAnswer(run, port, READY, workDir.resolve("botsync.log"));
            assertEquals(200, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("UP"), ready.body());
            assertEquals(200, get(port, LIVE).statusCode());

            run.destroy(); // SIGTERM, as systemctl stop sends
            assertTrue(run.waitFor(2, TimeUnit.MINUTES), "the service exits after SIGTERM");
        } finally {
            run.destroyForcibly();
        }
        assertTrue(List.of(unit.get("SuccessExitStatus").get(0).split("\\s+")).contains(String.valueOf(run.exitValue())),
                "systemd counts the exit code after SIGTERM (" + run.exitValue() + ") as a clean stop");
    }

    /** systemd's own reading of the unit: it starts a unit with a misspelt setting, ignoring it with a warning. */
    @Test
    void systemdReadsTheUnitWithoutAWarning() throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        assumeTrue(Files.isExecutable(analyze), "systemd is not on this machine");
        Process verify = new ProcessBuilder(analyze.toString(), "verify", DEPLOY.resolve("botsync.service").toString())
                .redirectErrorStream(true).start();
        String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, verify.waitFor(), output);
        assertEquals("", output);
    }

    @Test
    void theKubernetesProbesAskWhereRunServesHealthAndTheKeysComeFromASecret() throws IOException {
        Map<String, Object> deployment = null;
        for (Object document : new Load(LoadSettings.builder().build())
                .loadAllFromString(Files.readString(DEPLOY.resolve("kubernetes.yaml")))) {
            if ("Deployment".equals(map(document).get("kind"))) {
                deployment = map(document);
            }
        }
        assertNotNull(deployment, "kubernetes.yaml holds a Deployment");
        Map<String, Object> container = map(list(at(deployment, "spec", "template", "spec", "containers")).get(0));

        int port = managementPort();
        assertEquals(port, probePort(container, "livenessProbe"));
        assertEquals(LIVE, at(container, "livenessProbe", "httpGet", "path"));
        assertEquals(port, probePort(container, "readinessProbe"));
        assertEquals(READY, at(container, "readinessProbe", "httpGet", "path"));
        assertFalse(map(container).containsKey("env"), "every variable comes from the Secret, none written here");
        assertNotNull(at(map(list(container.get("envFrom")).get(0)), "secretRef", "name"), "keys from a Secret");
        assertNotNull(at(container, "resources", "limits", "memory"));
    }

    @Test
    void theDockerfileExposesTheManagementPortChecksLivenessThereAndRunsAsAUser() throws IOException {
        Map<String, List<String>> dockerfile = dockerfile(DEPLOY.resolve("Dockerfile"));
        String port = String.valueOf(managementPort());
        assertEquals(List.of(port), dockerfile.get("EXPOSE"));

        Matcher check = Pattern.compile("http://127\\.0\\.0\\.1:(?:\\$\\{CAMEL_MANAGEMENT_PORT:-)?(\\d+)}?(/\\S*?)\"?(\\s|$)")
                .matcher(dockerfile.get("HEALTHCHECK").get(0));
        assertTrue(check.find(), dockerfile.get("HEALTHCHECK").get(0));
        assertEquals(port, check.group(1));
        assertEquals(LIVE, check.group(2));

        String user = dockerfile.get("USER").get(0).split(":")[0];
        assertFalse(user.equals("root") || user.equals("0"), "not root: " + user);

        // the image runs the JVM as the unit does
        List<String> entrypoint = List.of(new ObjectMapper().readValue(dockerfile.get("ENTRYPOINT").get(0), String[].class));
        List<String> execStart = List.of(systemdService(DEPLOY.resolve("botsync.service")).get("ExecStart").get(0).split("\\s+"));
        assertEquals(jvmOptions(execStart), jvmOptions(entrypoint));
        assertEquals("[\"run\"]", dockerfile.get("CMD").get(0));
    }

    /**
     * ExecStart's command with this build in place of the installed jar: the same JVM options and arguments, the test's
     * classpath and the jar's main class instead of {@code -jar}, since the tests run before the jar is packaged.
     */
    private static List<String> command(String execStart) {
        List<String> words = List.of(execStart.split("\\s+"));
        int jar = words.indexOf("-jar");
        assertTrue(words.get(0).endsWith("/java") && jar > 0, "ExecStart runs java -jar: " + execStart);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions(words));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.botsync.cli.Botsync"));
        command.addAll(words.subList(jar + 2, words.size()));
        return command;
    }

    private static List<String> jvmOptions(List<String> javaCommand) {
        return javaCommand.subList(1, javaCommand.indexOf("-jar"));
    }

    /** The port {@code run} serves health on unless told otherwise: camel.management.port's default. */
    private static int managementPort() throws IOException {
        Matcher port = Pattern.compile("(?m)^camel\\.management\\.port = \\{\\{env:CAMEL_MANAGEMENT_PORT:(\\d+)}}$")
                .matcher(Files.readString(Path.of("src/main/resources/application.properties")));
        assertTrue(port.find(), "application.properties gives camel.management.port a default");
        return Integer.parseInt(port.group(1));
    }

    /** A probe's port: a number, or the name of one of the container's ports. */
    private static int probePort(Map<String, Object> container, String probe) {
        Object port = at(container, probe, "httpGet", "port");
        if (port instanceof Integer number) {
            return number;
        }
        return list(container.get("ports")).stream().map(DeployFilesTest::map)
                .filter(p -> port.equals(p.get("name"))).map(p -> (Integer) p.get("containerPort"))
                .findFirst().orElseThrow(() -> new AssertionError("no container port named " + port));
    }

    /** The [Service] section's settings, each key with its values in order. */
    private static Map<String, List<String>> systemdService(Path unit) throws IOException {
        Map<String, List<String>> settings = new LinkedHashMap<>();
        String section = "";
        for (String line : Files.readAllLines(unit)) {
            if (line.startsWith("[")) {
                section = line.trim();
            } else if (section.equals("[Service]") && !line.isBlank() && !line.startsWith("#")) {
                String[] setting = line.split("=", 2);
                settings.computeIfAbsent(setting[0].trim(), key -> new ArrayList<>()).add(setting[1].trim());
            }
        }
        return settings;
    }

    /** One Environment= line's variables: {@code A=1 B=2}. */
    private static Map<String, String> assignments(String line) {
        return Stream.of(line.split("\\s+")).map(a -> a.split("=", 2))
                .collect(Collectors.toMap(a -> a[0], a -> a[1]));
    }

    /** An environment file as systemd reads ours: {@code KEY=VALUE} lines, comments and blank lines. */
    private static Map<String, String> environmentFile(Path file) throws IOException {
        Map<String, String> variables = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] variable = line.split("=", 2);
                assertEquals(2, variable.length, "KEY=VALUE: " + line);
                variables.put(variable[0], variable[1]);
            }
        }
        return variables;
    }

    /** The example with these variables' values set: lines of the same format, commented ones uncommented. */
    private static String fillIn(String example, Map<String, String> values) {
        StringBuilder file = new StringBuilder();
        for (String line : example.lines().toList()) {
            String name = line.replaceFirst("^#", "").split("=", 2)[0];
            file.append(values.containsKey(name) ? name + "=" + values.get(name) : line).append('\n');
        }
        values.keySet().stream().filter(name -> !example.contains(name + "="))
                .forEach(name -> file.append(name).append('=').append(values.get(name)).append('\n'));
        return file.toString();
    }

    /** Each instruction's arguments in order; continued lines joined. */
    private static Map<String, List<String>> dockerfile(Path file) throws IOException {
        String joined = Files.readString(file).replaceAll("\\\\\\n", " ");
        Map<String, List<String>> instructions = new LinkedHashMap<>();
        for (String line : joined.lines().toList()) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] instruction = line.trim().split("\\s+", 2);
                instructions.computeIfAbsent(instruction[0], key -> new ArrayList<>()).add(instruction[1].trim());
            }
        }
        return instructions;
    }

    /** Asks until the service answers (it starts in a few seconds; a minute and more on a loaded machine). */
    private static HttpResponse<String> awaitAnswer(Process run, int port, String path, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            assertTrue(run.isAlive(), "the service stopped:\n" + Files.readString(log, StandardCharsets.UTF_8));
            try {
                HttpResponse<String> answer = get(port, path);
                if (answer.statusCode() == 200) {
                    return answer;
                }
                last = answer.statusCode() + " " + answer.body();
            } catch (IOException notListeningYet) {
                // the management server starts with the routes
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no 200 from " + path + " (last: " + last + "):\n" + Files.readString(log, StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(from.relativize(file).toString()));
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object at(Map<String, Object> node, String... path) {
        Object value = node;
        for (String key : path) {
            value = map(value).get(key);
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object node) {
        return (List<Object>) node;
    }
}
