package io.botsync.imports;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.botsync.model.Rejection;
import io.botsync.source.Page;
import io.botsync.source.Pass;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An import file read as a pass: pages of {@code pageSize} records, each one exchange and one transaction like a
 * fetched page. Lines that are not records travel in the page as unreadable, to be rejected with their numbers.
 * Close it when done.
 */
public final class ImportPass implements Pass, AutoCloseable {

    private final ImportFile file;
    private final RecordReader reader;
    private final int pageSize;
    private FileRecord ahead;

    public ImportPass(ImportFile file, int pageSize) {
        this.file = file;
        this.pageSize = pageSize;
        try {
            this.reader = file.open();
            this.ahead = reader.next();
        } catch (IOException e) {
            throw new ImportException("cannot read " + file.path() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Page next() {
        List<ObjectNode> records = new ArrayList<>(pageSize);
        List<Rejection> unreadable = new ArrayList<>();
        long firstLine = ahead == null ? 0 : ahead.line();
        long lastLine = firstLine;
        try {
            while (ahead != null && records.size() + unreadable.size() < pageSize) {
                if (ahead.record() != null) {
                    records.add(ahead.record());
                } else {
                    unreadable.add(ahead.unreadable());
                }
                lastLine = ahead.line();
                ahead = reader.next();
            }
        } catch (IOException e) {
            throw new ImportException("cannot read " + file.path() + ": " + e.getMessage(), e);
        }
        String request = "import " + file.path().getFileName() + " lines " + firstLine + "-" + lastLine;
        return new Page(records, null, ahead == null, request, unreadable);
    }

    @Override
    public boolean fullScan() {
        return false;
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            // a reader we only read from: nothing was lost
        }
    }
}
