package io.hitkeep.query;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * A zip's entries, one after the other, read from a stream (the upload) without holding an entry: each
 * local file header, then its content as a stream. Needed because {@code java.util.zip.ZipInputStream}
 * refuses what Plausible writes: its export is streamed out by Zstream, whose entries are stored (not
 * deflated) with their sizes in a data descriptor after the content, so the end of an entry is found by
 * that descriptor, whose sizes must equal the bytes read. Deflated entries (every desktop zip tool) end
 * where the deflate stream ends. Both are checked against their CRC-32. Encrypted entries and other
 * compression methods are refused. Not thread-safe.
 */
final class ZipEntries {
    private static final int LOCAL_HEADER = 0x04034b50;
    private static final int CENTRAL_HEADER = 0x02014b50;
    private static final int END_OF_CENTRAL_DIRECTORY = 0x06054b50;
    private static final int DATA_DESCRIPTOR = 0x08074b50;
    private static final int STORED = 0;
    private static final int DEFLATED = 8;
    private static final int BUFFER = 8192;

    /** One entry: its name as stored (with any directories) and its content, readable once, in order. */
    record Entry(String name, InputStream content) {
        boolean isDirectory() {
            return name.endsWith("/");
        }
    }

    private final PushbackInputStream in;
    private Optional<Content> current = Optional.empty();

    ZipEntries(InputStream in) {
        this.in = new PushbackInputStream(in, 2 * BUFFER);
    }

    /** The next entry (what is left of the previous one is skipped), or empty at the central directory. */
    Optional<Entry> next() throws IOException {
        if (current.isPresent()) {
            current.get().transferTo(java.io.OutputStream.nullOutputStream());
            current = Optional.empty();
        }
        int signature = int32();
        if (signature == CENTRAL_HEADER || signature == END_OF_CENTRAL_DIRECTORY) {
            return Optional.empty();
        }
        if (signature != LOCAL_HEADER) {
            throw new ZipException("no zip entry where one should begin");
        }
        int16(); // version needed to extract
        int flags = int16();
        int method = int16();
        int32(); // modification time and date
        long crc = int32() & 0xffffffffL;
        long compressedSize = int32() & 0xffffffffL;
        int32(); // uncompressed size
        int nameLength = int16();
        int extraLength = int16();
        String name = new String(bytes(nameLength), StandardCharsets.UTF_8);
        boolean zip64 = hasZip64Extra(bytes(extraLength));
        if ((flags & 1) != 0) {
            throw new ZipException(name + " is encrypted");
        }
        boolean descriptor = (flags & 8) != 0;
        Content content = switch (method) {
            case DEFLATED -> new Deflated(descriptor, zip64, crc);
            case STORED -> descriptor ? new StoredUntilDescriptor(zip64) : new StoredOfSize(compressedSize, crc);
            default -> throw new ZipException(name + " uses compression method " + method + "; only stored and deflated are read");
        };
        current = Optional.of(content);
        return Optional.of(new Entry(name, content));
    }

    private static boolean hasZip64Extra(byte[] extra) {
        for (int i = 0; i + 4 <= extra.length; ) {
            int id = (extra[i] & 0xff) | (extra[i + 1] & 0xff) << 8;
            int size = (extra[i + 2] & 0xff) | (extra[i + 3] & 0xff) << 8;
            if (id == 0x0001) {
                return true;
            }
            i += 4 + size;
        }
        return false;
    }

    private byte[] bytes(int count) throws IOException {
        byte[] bytes = in.readNBytes(count);
        if (bytes.length < count) {
            throw new EOFException("the zip is cut short");
        }
        return bytes;
    }

    private int int16() throws IOException {
        byte[] b = bytes(2);
        return (b[0] & 0xff) | (b[1] & 0xff) << 8;
    }

    private int int32() throws IOException {
        byte[] b = bytes(4);
        return (int) littleEndian(b, 0, 4);
    }

    private static long littleEndian(byte[] bytes, int offset, int length) {
        long value = 0;
        for (int i = length - 1; i >= 0; i--) {
            value = value << 8 | (bytes[offset + i] & 0xff);
        }
        return value;
    }

    /** An entry's content; its CRC-32 is checked when its end is reached. */
    private abstract static class Content extends InputStream {
        final CRC32 crc = new CRC32();
        boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        void checkCrc(long expected) throws ZipException {
            if (crc.getValue() != expected) {
                throw new ZipException("an entry's CRC-32 does not match its content: the zip is damaged");
            }
        }
    }

    private final class Deflated extends Content {
        private final Inflater inflater = new Inflater(true);
        private final byte[] input = new byte[BUFFER];
        private final boolean descriptor;
        private final boolean zip64;
        private final long headerCrc;
        private int inputLength;

        Deflated(boolean descriptor, boolean zip64, long headerCrc) {
            this.descriptor = descriptor;
            this.zip64 = zip64;
            this.headerCrc = headerCrc;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (ended) {
                return -1;
            }
            if (length == 0) {
                return 0;
            }
            try {
                while (true) {
                    int inflated = inflater.inflate(buffer, offset, length);
                    if (inflated > 0) {
                        crc.update(buffer, offset, inflated);
                        return inflated;
                    }
                    if (inflater.finished()) {
                        end();
                        return -1;
                    }
                    if (inflater.needsDictionary()) {
                        throw new ZipException("a deflated entry needs a preset dictionary");
                    }
                    if (inflater.needsInput()) {
                        inputLength = in.read(input, 0, input.length);
                        if (inputLength < 0) {
                            throw new EOFException("the zip is cut short inside an entry");
                        }
                        inflater.setInput(input, 0, inputLength);
                    }
                }
            } catch (DataFormatException e) {
                throw new ZipException("a deflated entry is damaged: " + e.getMessage());
            }
        }

        private void end() throws IOException {
            ended = true;
            int remaining = inflater.getRemaining();
            if (remaining > 0) {
                in.unread(input, inputLength - remaining, remaining);
            }
            inflater.end();
            long expected = headerCrc;
            if (descriptor) {
                long first = int32() & 0xffffffffL;
                // the descriptor's signature is optional
                expected = first == DATA_DESCRIPTOR ? int32() & 0xffffffffL : first;
                bytes(zip64 ? 16 : 8);
            }
            checkCrc(expected);
        }
    }

    private final class StoredOfSize extends Content {
        private final long expectedCrc;
        private long left;

        StoredOfSize(long size, long expectedCrc) {
            this.left = size;
            this.expectedCrc = expectedCrc;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (ended) {
                return -1;
            }
            if (left == 0) {
                ended = true;
                checkCrc(expectedCrc);
                return -1;
            }
            int read = in.read(buffer, offset, (int) Math.min(length, left));
            if (read < 0) {
                throw new EOFException("the zip is cut short inside an entry");
            }
            crc.update(buffer, offset, read);
            left -= read;
            return read;
        }
    }

    /**
     * A stored entry whose size comes after it: its content runs until a data descriptor (its signature,
     * CRC-32 and two sizes equal to the bytes before it). The last bytes of the window are held back until
     * more arrive, since a descriptor may begin among them.
     */
    private final class StoredUntilDescriptor extends Content {
        private final int descriptorLength;
        private final byte[] window = new byte[BUFFER];
        private int have;
        private long delivered;
        /** Where in the window the content ends, once the descriptor was found; -1 before. */
        private int end = -1;
        private boolean sourceEnded;

        StoredUntilDescriptor(boolean zip64) {
            this.descriptorLength = zip64 ? 24 : 16;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (ended) {
                return -1;
            }
            while (true) {
                if (end < 0) {
                    fill();
                    end = findDescriptor();
                }
                int safe = end >= 0 ? end : have - (descriptorLength - 1);
                if (end < 0 && sourceEnded) {
                    throw new EOFException("the zip is cut short: a stored entry has no data descriptor");
                }
                if (safe > 0) {
                    int count = Math.min(safe, length);
                    System.arraycopy(window, 0, buffer, offset, count);
                    crc.update(buffer, offset, count);
                    delivered += count;
                    shift(count);
                    if (end >= 0) {
                        end -= count;
                    }
                    return count;
                }
                if (end == 0) {
                    finish();
                    return -1;
                }
            }
        }

        /** Reads until the window is full or the upload ends. */
        private void fill() throws IOException {
            while (have < window.length && !sourceEnded) {
                int read = in.read(window, have, window.length - have);
                if (read < 0) {
                    sourceEnded = true;
                } else {
                    have += read;
                    if (have >= descriptorLength) {
                        return;
                    }
                }
            }
        }

        /** The position of a descriptor whose sizes match the content before it, or -1. */
        private int findDescriptor() {
            for (int i = 0; i + descriptorLength <= have; i++) {
                if (window[i] != 'P' || window[i + 1] != 'K' || window[i + 2] != 7 || window[i + 3] != 8) {
                    continue;
                }
                int sizeLength = descriptorLength == 24 ? 8 : 4;
                long compressed = littleEndian(window, i + 8, sizeLength);
                long uncompressed = littleEndian(window, i + 8 + sizeLength, sizeLength);
                long size = delivered + i;
                long wanted = sizeLength == 4 ? size & 0xffffffffL : size;
                if (compressed == wanted && uncompressed == wanted) {
                    return i;
                }
            }
            return -1;
        }

        private void shift(int count) {
            System.arraycopy(window, count, window, 0, have - count);
            have -= count;
        }

        private void finish() throws IOException {
            ended = true;
            long expected = littleEndian(window, 4, 4);
            shift(descriptorLength);
            if (have > 0) {
                in.unread(window, 0, have);
                have = 0;
            }
            checkCrc(expected);
        }
    }
}
