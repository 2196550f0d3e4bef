package city.heze.peony.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.management.ObjectName;

/**
 * What this process holds at one moment: heap used after a full collection, open file
 * descriptors by kind ({@code /proc/self/fd}), and the class histogram of live objects (what
 * {@code jcmd PID GC.class_histogram} prints). Two footprints differ by what was added between
 * them: divided by the catalogs added, the per-catalog cost.
 */
record ProcessFootprint(long heapBytes, Map<String, Integer> descriptors, Map<String, Long> histogram) {

    /** Broker log segments and indexes, RocksDB and other state files, sockets, everything else. */
    static final List<String> DESCRIPTOR_KINDS = List.of("broker logs", "state", "sockets", "other");

    static ProcessFootprint take(Path stateDir) {
        // Twice: the first collection may only queue finalizable objects (RocksDB, sockets).
        System.gc();
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new ProcessFootprint(heap, descriptors(stateDir), classHistogram());
    }

    int totalDescriptors() {
        return descriptors.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static Map<String, Integer> descriptors(Path stateDir) {
        Map<String, Integer> kinds = new LinkedHashMap<>();
        DESCRIPTOR_KINDS.forEach(k -> kinds.put(k, 0));
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return Map.of();
        }
        try (Stream<Path> list = Files.list(fds)) {
            for (Path fd : (Iterable<Path>) list::iterator) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue; // closed meanwhile (the listing's own descriptor, for one)
                }
                String kind;
                if (target.startsWith("socket:")) {
                    kind = "sockets";
                } else if (stateDir != null && target.startsWith(stateDir.toString())) {
                    kind = "state";
                } else if (target.matches(".*\\.(log|index|timeindex|snapshot)(\\.deleted)?$")) {
                    kind = "broker logs";
                } else {
                    kind = "other";
                }
                kinds.merge(kind, 1, Integer::sum);
            }
        } catch (IOException e) {
            return Map.of();
        }
        return kinds;
    }

    /** Live bytes per class, from the DiagnosticCommand MBean; empty where the JVM has none. */
    private static Map<String, Long> classHistogram() {
        Map<String, Long> bytes = new HashMap<>();
        try {
            String text = (String) ManagementFactory.getPlatformMBeanServer()
                    .invoke(
                            new ObjectName("com.sun.management:type=DiagnosticCommand"),
                            "gcClassHistogram",
                            new Object[] {new String[0]},
                            new String[] {String[].class.getName()});
            for (String line : text.split("\n")) {
                // "   1:        123456       7890123  java.lang.String (java.base@17)"
                String[] cols = line.trim().split("\\s+");
                if (cols.length >= 4 && cols[0].endsWith(":")) {
                    bytes.merge(cols[3], Long.parseLong(cols[2]), Long::sum);
                }
            }
        } catch (Exception e) {
            // no histogram on this JVM: the heap and descriptor figures stand alone
        }
        return bytes;
    }
}
