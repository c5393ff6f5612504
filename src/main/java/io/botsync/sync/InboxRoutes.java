package io.botsync.sync;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The import inbox of {@code run}: a file dropped into {@code <inbox>/<source>/} is imported into that source, then
 * moved to {@code done/}, or to {@code failed/} with {@code <name>.reason.txt} beside it. One file route per known
 * source; a source folder that does not exist is simply not watched. Files still being written are left until
 * their size stops changing.
 */
final class InboxRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(InboxRoutes.class);

    private final Path inbox;
    private final List<String> sources;
    private final BatchRuns batch;

    InboxRoutes(Path inbox, List<String> sources, BatchRuns batch) {
        this.inbox = inbox;
        this.sources = sources;
        this.batch = batch;
    }

    @Override
    public void configure() {
        errorHandler(noErrorHandler()); // the reason goes beside the file; Camel's retries would only repeat it
        for (String source : sources) {
            fromF("file:%s?autoCreate=false&readLock=changed&move=done/${file:name}&moveFailed=failed/${file:name}",
                    inbox.resolve(source).toAbsolutePath())
                    .routeId("botsync-inbox-" + source)
                    .process(exchange -> importInto(source, exchange));
        }
    }

    private void importInto(String source, Exchange exchange) throws IOException {
        Path file = Path.of(exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class));
        RunResult result = batch.importFile(source, file, null);
        if (result.ok()) {
            LOG.info("inbox {}: {}", file.getFileName(), result.summary());
            return;
        }
        Path failed = file.resolveSibling("failed");
        Files.createDirectories(failed);
        Files.writeString(failed.resolve(file.getFileName() + ".reason.txt"), result.summary() + System.lineSeparator(),
                StandardCharsets.UTF_8);
        throw new InboxFileFailed(file.getFileName() + " was not imported: " + result.error());
    }

    /** Fails the exchange so that the file consumer moves the file to failed/. */
    static final class InboxFileFailed extends RuntimeException {
        InboxFileFailed(String message) {
            super(message, null, false, false);
        }
    }
}
