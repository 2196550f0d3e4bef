package city.heze.peony.ops;

import city.heze.peony.broker.EmbeddedKafkaBroker;
import city.heze.peony.schemas.Topics;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Peony in one process, as {@code peony up} runs it: the embedded KRaft broker and Peony's
 * topics. Parts start in dependency order and stop in reverse order; a part that fails to start
 * stops the ones already running.
 */
public final class PeonyStack implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PeonyStack.class);

    /** What to start, from {@code peony up}'s options. */
    public record Settings(Path dataDir, int kafkaPort) {}

    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final Map<String, String> endpoints = new LinkedHashMap<>();

    private PeonyStack() {}

    public static PeonyStack start(Settings settings) {
        PeonyStack stack = new PeonyStack();
        try {
            stack.startParts(settings);
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    private void startParts(Settings settings) {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.create(settings.dataDir(), settings.kafkaPort())
                .start();
        running.push(broker);
        endpoints.put("bootstrap.servers", broker.bootstrapServers());

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            var created = new TopicProvisioner(admin, (short) 1).ensure(Topics.SYSTEM_TOPICS);
            if (!created.isEmpty()) {
                log.info("created topics {}", created);
            }
        }
    }

    /** The addresses clients use, in the order the {@code Peony is up} line prints them. */
    public Map<String, String> endpoints() {
        return Map.copyOf(endpoints);
    }

    /** The line printed once clients can connect. */
    public String upLine() {
        StringBuilder line = new StringBuilder("Peony is up:");
        endpoints.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        return line.toString();
    }

    @Override
    public void close() {
        while (!running.isEmpty()) {
            AutoCloseable part = running.pop();
            try {
                part.close();
            } catch (Exception e) {
                log.warn("error while stopping {}: {}", part.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
