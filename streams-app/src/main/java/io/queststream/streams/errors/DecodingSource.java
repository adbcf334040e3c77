package io.queststream.streams.errors;

import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * A stream of a topic's decoded values whose undecodable records become dead letters in the same transaction as
 * their offsets (see {@link DecodeStep}): the original bytes, kind {@code deserialization}, the serde's reason and
 * the record's position.
 */
public final class DecodingSource {

  private DecodingSource() {}

  public static <V> KStream<String, V> stream(StreamsBuilder builder, String name, Serde<String> keys,
      Serde<V> values, String deadLetterTopic, DeadLetterCounter metrics) {
    Map<String, KStream<String, DecodedValue<V>>> decoded = builder
        .stream(name, Consumed.with(keys, Serdes.ByteArray()).withName("read-" + name))
        .processValues(() -> new DecodeStep<>(name, values.deserializer()), Named.as("decode-" + name))
        .split(Named.as("decoded-" + name + "-"))
        .branch((key, d) -> d.failed(), Branched.as("undecodable"))
        .defaultBranch(Branched.as("value"));
    decoded.get("decoded-" + name + "-undecodable")
        .process(() -> new DeadLetterWriter<DecodedValue<V>, byte[]>(new ByteArraySerializer(), name,
            DecodedValue::raw, DecodedValue::failure, d -> null, metrics), Named.as("undecodable-" + name))
        .to(deadLetterTopic, Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
            .withName("dead-letter-undecodable-" + name));
    return decoded.get("decoded-" + name + "-value").mapValues(DecodedValue::value, Named.as("decoded-" + name));
  }
}
