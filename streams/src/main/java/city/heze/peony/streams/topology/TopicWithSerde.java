package city.heze.peony.streams.topology;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;

/**
 * A topic bound to the serdes its records are written with, so that a topology names a topic once
 * and never pairs it with the wrong serde (in the spirit of kstreamplify's {@code TopicWithSerde}).
 * Every source and sink gets an explicit name: Peony's applications run with explicit naming
 * enforced.
 */
public record TopicWithSerde<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {

    /** The topic read from a source named {@code sourceName}. */
    public KStream<K, V> stream(StreamsBuilder builder, String sourceName) {
        return builder.stream(name, consumed(sourceName));
    }

    /** Writes {@code stream} to the topic through a sink named {@code sinkName}. */
    public void to(KStream<K, V> stream, String sinkName) {
        stream.to(name, produced(sinkName));
    }

    public Consumed<K, V> consumed(String sourceName) {
        return Consumed.with(keySerde, valueSerde).withName(sourceName);
    }

    public Produced<K, V> produced(String sinkName) {
        return Produced.with(keySerde, valueSerde).withName(sinkName);
    }

    /**
     * The same topic with values as bytes, for a processor that serializes with {@link #valueSerde}
     * itself (validation does, to pass raw bytes on untouched and to serialize on its own thread).
     */
    public TopicWithSerde<K, byte[]> withByteValues() {
        return new TopicWithSerde<>(name, keySerde, Serdes.ByteArray());
    }

    /** The same topic with keys and values as bytes. */
    public TopicWithSerde<byte[], byte[]> asBytes() {
        return new TopicWithSerde<>(name, Serdes.ByteArray(), Serdes.ByteArray());
    }
}
