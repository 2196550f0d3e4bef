package city.heze.peony.streams.topology;

import city.heze.peony.registry.InProcessSchemaRegistryClient;
import city.heze.peony.registry.LocalSchemaRegistries;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * What every topology test stands on: a {@code TopologyTestDriver} on a fixed wall clock that only
 * the test moves, an in-process registry ({@code local://NAME}, the real registry logic) private to
 * the test, the Peony topics with their serdes on that registry, and a {@link SimpleMeterRegistry}.
 * A topology's driver extends this, builds its topology from a context in its constructor and
 * hands it to {@link #start}; one fixture per test, closed after it.
 */
public abstract class TopologyFixture implements AutoCloseable {
    public final String registryName;
    public final String registryUrl;
    public final InProcessSchemaRegistryClient schemaRegistry;
    public final SimpleMeterRegistry meterRegistry = new SimpleMeterRegistry();
    /** The test's side of the topics: serializers to pipe input, deserializers to read output. */
    public final StreamsTopics topics;

    private TopologyTestDriver driver;
    private Instant now;

    protected TopologyFixture(String registryName) {
        this.registryName = registryName;
        this.registryUrl = LocalSchemaRegistries.LOCAL_SCHEME + registryName;
        this.schemaRegistry = LocalSchemaRegistries.client(registryName);
        Properties client = new Properties();
        client.put("schema.registry.url", registryUrl);
        this.topics = StreamsTopics.connect(client);
    }

    /** A fixture on a registry of its own, named {@code <prefix>-<random>}. */
    protected static String newRegistryName(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    /**
     * Client properties pointing at no broker (the test driver needs none) and at the test's
     * registry, or at {@code registryUrlOverride} (an HTTP server in front of it) if not null.
     */
    public Properties clientProperties(String registryUrlOverride) {
        Properties client = new Properties();
        client.put("bootstrap.servers", "127.0.0.1:9");
        client.put("schema.registry.url", registryUrlOverride != null ? registryUrlOverride : registryUrl);
        client.put("max.retries", "0");
        return client;
    }

    /** Starts the driver on {@code topology} with the wall clock at {@code wallClock}. */
    protected final TopologyTestDriver start(Topology topology, Properties streamsConfig, Instant wallClock) {
        driver = new TopologyTestDriver(topology, streamsConfig, wallClock);
        now = wallClock;
        return driver;
    }

    public final TopologyTestDriver driver() {
        return driver;
    }

    public final <K, V> TestInputTopic<K, V> input(TopicWithSerde<K, V> topic) {
        return driver.createInputTopic(
                topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    public final <K, V> TestOutputTopic<K, V> output(TopicWithSerde<K, V> topic) {
        return driver.createOutputTopic(
                topic.name(),
                topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
    }

    /** Moves the wall clock on, firing the wall-clock punctuators on the way. */
    public void advance(Duration by) {
        driver.advanceWallClockTime(by);
        now = now.plus(by);
    }

    /** Moves the wall clock to {@code when}, which must not be before now. */
    public void advanceTo(Instant when) {
        if (when.isBefore(now)) {
            throw new IllegalArgumentException("the wall clock is at " + now + ", cannot go back to " + when);
        }
        advance(Duration.between(now, when));
    }

    /** The driver's wall clock. */
    public Instant now() {
        return now;
    }

    public double counter(String name, String... tags) {
        var counter = meterRegistry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    public double gauge(String name, String... tags) {
        var gauge = meterRegistry.find(name).tags(tags).gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    /** Closes the driver, then what the topology's context owns, then drops the registry. */
    @Override
    public void close() {
        if (driver != null) {
            driver.close();
        }
        closeContext();
        topics.close();
        LocalSchemaRegistries.drop(registryName);
    }

    /** Closes the context the topology was built from (after the driver). */
    protected abstract void closeContext();
}
