package city.heze.peony.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The peak heap a streams application needs: the largest heap in use right after a garbage
 * collection while the application runs (what the collector found live, as every GC notification
 * reports it, and a full collection at the end of the run, before the application closes), minus
 * the heap in use after a full collection just before it started. Why after a
 * collection and not the peak of heap in use: that peak counts garbage not yet collected, so it
 * measures how large the collector lets the young generation grow, not the application.
 *
 * <p>The bench process also holds the embedded broker, the registry and the prepared records;
 * the baseline leaves those out, but what the broker and the bench's clients keep live during the
 * run is counted too, so the figure is an upper bound of the application's own peak, comparable
 * between the streams measurements of one bench.
 */
final class HeapProbe implements AutoCloseable, NotificationListener {
    private static final double MIB = 1024.0 * 1024.0;

    private final Set<String> heapPools;
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final long baseline;
    private volatile long peakAfterGc;

    private HeapProbe() {
        heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .map(MemoryPoolMXBean::getName)
                .collect(Collectors.toSet());
        // A full collection first, so that the garbage of the previous measurement is not counted.
        System.gc();
        baseline = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        peakAfterGc = baseline;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(this, null, null);
                emitters.add(emitter);
            }
        }
    }

    static HeapProbe start() {
        return new HeapProbe();
    }

    @Override
    public void handleNotification(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        long used = 0;
        for (var pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                MemoryUsage usage = pool.getValue();
                used += usage.getUsed();
            }
        }
        if (used > peakAfterGc) {
            peakAfterGc = used;
        }
    }

    /**
     * Collects once more while the application still runs and holds its state (so that a short run
     * without any collection is measured too), then returns the largest heap in use after a
     * collection, above the baseline, in MiB.
     */
    double peakGrowthMebibytes() {
        System.gc();
        long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long peak = Math.max(peakAfterGc, now);
        return Math.max(0, peak - baseline) / MIB;
    }

    @Override
    public void close() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(this);
            } catch (ListenerNotFoundException e) {
                // already gone
            }
        }
    }
}
