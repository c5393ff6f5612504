package io.botsync.sync;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.Ordered;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Synchronization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The import inbox of {@code run}: a file dropped into {@code <inbox>/<source>/} is imported into that source, then
 * moved to {@code done/}, or to {@code failed/} with {@code <name>.reason.txt} beside it. One file route per known
 * source; a source folder that does not exist is simply not watched. Files still being written are left until
 * their size stops changing. A file goes to {@code done/} only once its content is in the warehouse: one that could
 * not be imported yet (its source is syncing, here or in another process, or botsync is stopping) stays in the inbox
 * for a later poll.
 */
final class InboxRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(InboxRoutes.class);

    private final Path inbox;
    private final List<String> sources;
    private final BatchRuns batch;
    /** The files waiting for their source, so that each says so once, not at every poll. */
    private final Set<Path> waiting = ConcurrentHashMap.newKeySet();

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
        if (result.status() == RunResult.Status.SKIPPED && !batch.imported(source, file)) {
            if (waiting.add(file)) {
                LOG.info("inbox {}: left in the inbox until it can be imported: {}", file.getFileName(), result.error());
            }
            exchange.getExchangeExtension().addOnCompletion(new BackToInbox(file));
            return;
        }
        waiting.remove(file);
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

    /**
     * Puts a file the file consumer moved to {@code done/} back where it was, for the next poll. The consumer's
     * own completion, which does the move, is not ordered (0); this one runs after it.
     */
    private static final class BackToInbox implements Synchronization, Ordered {

        private final Path file;

        BackToInbox(Path file) {
            this.file = file;
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST;
        }

        @Override
        public void onComplete(Exchange exchange) {
            Path done = file.resolveSibling("done").resolve(file.getFileName());
            try {
                Files.move(done, file); // not over a file of the same name dropped in meanwhile
            } catch (IOException e) { // e.g. a file of the same name was dropped in meanwhile: it is imported, this one kept
                LOG.warn("inbox {}: could not be put back for a later import ({}); it is in {}: move it back by hand",
                        file.getFileName(), e, done);
            }
        }

        @Override
        public void onFailure(Exchange exchange) {
            // a failed exchange went to failed/ with its reason: nothing to put back
        }
    }

    /** Fails the exchange so that the file consumer moves the file to failed/. */
    static final class InboxFileFailed extends RuntimeException {
        InboxFileFailed(String message) {
            super(message, null, false, false);
        }
    }
}
