package io.hitkeep.core;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A stream that tells a subclass the size of every block read from it, so the subclass can count bytes
 * and refuse past a limit (an upload's size, an archive's unpacked bytes). Single bytes are read as blocks
 * of one, so no byte goes uncounted. Not thread-safe.
 */
public abstract class CountedInputStream extends FilterInputStream {
    protected CountedInputStream(InputStream in) {
        super(in);
    }

    /** Called after every read that got bytes; may throw to refuse the stream. */
    protected abstract void counted(int bytes) throws IOException;

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int read = in.read(buffer, offset, length);
        if (read > 0) {
            counted(read);
        }
        return read;
    }

    @Override
    public long skip(long count) throws IOException {
        // read, not skipped underneath: skipped bytes count too
        byte[] buffer = new byte[(int) Math.max(1, Math.min(8192, count))];
        long skipped = 0;
        while (skipped < count) {
            int read = read(buffer, 0, (int) Math.min(buffer.length, count - skipped));
            if (read < 0) {
                break;
            }
            skipped += read;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        // a reset would count bytes twice
        return false;
    }
}
