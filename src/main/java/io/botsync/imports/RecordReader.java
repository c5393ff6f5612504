package io.botsync.imports;

import java.io.IOException;

/** Reads an import file one item at a time: memory stays flat however long the file is. */
interface RecordReader extends AutoCloseable {

    /**
     * @return the next record or unreadable line, or null at the end of the file
     * @throws ImportException when the rest of the file cannot be read (e.g. a JSON array broken mid-way)
     */
    FileRecord next() throws IOException;

    @Override
    void close() throws IOException;
}
