package city.heze.peony.ops;

import city.heze.peony.broker.EmbeddedKafkaBroker;
import city.heze.peony.registry.server.EmbeddedSchemaRegistry;
import city.heze.peony.schemas.Topics;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;

/**
 * What most command integration tests stand on: a real broker with Peony's system topics and the
 * embedded registry, on free ports. One per test class ({@code @BeforeAll}), closed after it.
 */
public final class LocalPeony implements AutoCloseable {
    private final EmbeddedKafkaBroker broker;
    private final EmbeddedSchemaRegistry registry;

    private LocalPeony(EmbeddedKafkaBroker broker, EmbeddedSchemaRegistry registry) {
        this.broker = broker;
        this.registry = registry;
    }

    public static LocalPeony start(Path dataDir) {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.create(dataDir, 0).start();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            new TopicProvisioner(admin, (short) 1).ensure(Topics.SYSTEM_TOPICS);
            return new LocalPeony(
                    broker, EmbeddedSchemaRegistry.start(broker.bootstrapServers(), 0, Topics.SCHEMAS.name()));
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public String registryUrl() {
        return registry.url();
    }

    /** Client properties for this cluster: bootstrap servers and the registry URL. */
    public Properties client() {
        Properties client = new Properties();
        client.put("bootstrap.servers", bootstrapServers());
        client.put("schema.registry.url", registryUrl());
        return client;
    }

    @Override
    public void close() {
        registry.close();
        broker.close();
    }
}
