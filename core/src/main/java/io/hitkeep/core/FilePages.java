package io.hitkeep.core;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hands the pages of the process's mapped files back to the kernel ({@code madvise(MADV_PAGEOUT)}) after a
 * burst that touched code the process will not run again soon. The largest is DuckDB's native library: its
 * start-up (registering every built-in function, the ICU, JSON and Parquet extensions) leaves about 30 MiB of
 * it resident, and the kernel's fault-around maps 64 KiB around every page it faults in. {@code libjvm.so} and
 * the JDK's {@code modules} file add 20 MiB more. These pages are clean copies of files, so the kernel could drop
 * them at any time, but while they are mapped they count in the process's resident size and are among the last
 * it reclaims. After a release, the code that runs again is read back in as it is needed (a few MiB when the
 * dashboard asks a question).
 *
 * <p>Safe on every mapping: {@code MADV_PAGEOUT} reclaims only what can be read back (a private mapping's
 * written pages stay, with no swap to go to; pages other processes map too are left). It needs Linux 5.4 and
 * Java 22 or newer (the foreign-function API, reached by reflection because this project compiles for Java
 * 21); elsewhere {@link #release()} does nothing. The app's {@code Exec} has a Java 22 version in the jar's
 * {@code META-INF/versions/22} instead; reflection here lets the unit test, which runs from the classes folder where
 * no versioned class is seen, make the real call. Called by {@link HeapRelease}, so only in the JVM
 * {@code java -jar hitkeep.jar} tunes for itself.
 */
public final class FilePages {
    private static final Logger LOG = Logger.getLogger(FilePages.class.getName());
    /** From {@code <linux/mman.h>}. */
    private static final int MADV_PAGEOUT = 21;
    private static final Path MAPS = Path.of("/proc/self/maps");
    /** {@code int madvise(long address, long length, int advice)}, or empty where it cannot be called. */
    private static final Optional<MethodHandle> MADVISE = madvise();

    private FilePages() {
    }

    /** Whether {@link #release()} can do anything here: Linux with {@code /proc}, Java 22+. */
    public static boolean supported() {
        return MADVISE.isPresent() && Files.isReadable(MAPS);
    }

    /**
     * Advises the kernel to reclaim the pages of every file the process maps. Returns how many mappings took
     * the advice: 0 where it is not {@link #supported()} or the kernel does not know it (before Linux 5.4); a
     * mapping the kernel refuses (a locked one, a device's) is skipped.
     */
    public static int release() {
        if (!supported()) {
            return 0;
        }
        List<String> maps;
        try {
            maps = Files.readAllLines(MAPS);
        } catch (IOException e) {
            return 0;
        }
        int advised = 0;
        for (String line : maps) {
            Optional<long[]> range = fileRange(line);
            if (range.isEmpty()) {
                continue;
            }
            long start = range.get()[0];
            long end = range.get()[1];
            try {
                if ((int) MADVISE.get().invokeExact(start, end - start, MADV_PAGEOUT) == 0) {
                    advised++;
                }
            } catch (Throwable e) {
                LOG.log(Level.FINE, "madvise failed", e);
                return advised;
            }
        }
        return advised;
    }

    /**
     * The address range of a line of {@code /proc/self/maps} when it maps a file (a path and an inode other than
     * 0): {@code 7f3c0a000000-7f3c0a200000 r-xp 00000000 fd:01 1234 /usr/lib/libx.so}. Empty for anonymous
     * memory, the stacks, {@code [vdso]} and the like.
     */
    static Optional<long[]> fileRange(String line) {
        String[] fields = line.trim().split("\\s+", 6);
        if (fields.length < 6 || !fields[5].startsWith("/") || fields[4].equals("0")) {
            return Optional.empty();
        }
        int dash = fields[0].indexOf('-');
        if (dash < 0) {
            return Optional.empty();
        }
        try {
            long start = Long.parseUnsignedLong(fields[0], 0, dash, 16);
            long end = Long.parseUnsignedLong(fields[0], dash + 1, fields[0].length(), 16);
            return end > start ? Optional.of(new long[] {start, end}) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * {@code madvise} from the C library as {@code (long address, long length, int advice) -> int}: the
     * foreign-function API's {@code Linker}, found by reflection, with the address turned into a
     * {@code MemorySegment} in front.
     */
    private static Optional<MethodHandle> madvise() {
        if (Runtime.version().feature() < 22) {
            return Optional.empty();  // a preview API on 21, refused without --enable-preview
        }
        try {
            Class<?> linkerType = Class.forName("java.lang.foreign.Linker");
            Class<?> optionType = Class.forName("java.lang.foreign.Linker$Option");
            Class<?> lookupType = Class.forName("java.lang.foreign.SymbolLookup");
            Class<?> segmentType = Class.forName("java.lang.foreign.MemorySegment");
            Class<?> layoutType = Class.forName("java.lang.foreign.MemoryLayout");
            Class<?> valueLayouts = Class.forName("java.lang.foreign.ValueLayout");
            Class<?> descriptorType = Class.forName("java.lang.foreign.FunctionDescriptor");

            Object linker = linkerType.getMethod("nativeLinker").invoke(null);
            Object lookup = linkerType.getMethod("defaultLookup").invoke(linker);
            Optional<?> symbol = (Optional<?>) lookupType.getMethod("find", String.class).invoke(lookup, "madvise");
            if (symbol.isEmpty()) {
                return Optional.empty();
            }
            Object parameters = Array.newInstance(layoutType, 3);
            Array.set(parameters, 0, valueLayouts.getField("ADDRESS").get(null));
            Array.set(parameters, 1, valueLayouts.getField("JAVA_LONG").get(null));
            Array.set(parameters, 2, valueLayouts.getField("JAVA_INT").get(null));
            Object descriptor = descriptorType.getMethod("of", layoutType, parameters.getClass())
                    .invoke(null, valueLayouts.getField("JAVA_INT").get(null), parameters);
            MethodHandle call = (MethodHandle) linkerType
                    .getMethod("downcallHandle", segmentType, descriptorType, optionType.arrayType())
                    .invoke(linker, symbol.get(), descriptor, Array.newInstance(optionType, 0));
            MethodHandle ofAddress = MethodHandles.publicLookup()
                    .findStatic(segmentType, "ofAddress", MethodType.methodType(segmentType, long.class));
            return Optional.of(MethodHandles.filterArguments(call, 0, ofAddress)
                    .asType(MethodType.methodType(int.class, long.class, long.class, int.class)));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.FINE, "madvise is not reachable here", e);
            return Optional.empty();
        }
    }
}
