package io.queststream.streams.support;

import io.queststream.serde.RegistryAvroSerde;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A read_committed consumer of one topic from its start that keeps every record and the latest value per key (what
 * a compacted topic converges to), polled until a condition holds.
 */
public final class TopicView<V extends SpecificRecord> implements AutoCloseable {

  private final KafkaConsumer<String, V> consumer;
  private final List<ConsumerRecord<String, V>> records = new ArrayList<>();
  private final Map<String, V> latest = new LinkedHashMap<>();

  public TopicView(Map<String, Object> clientProperties, String topic, Class<V> type) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "view-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    RegistryAvroSerde<V> serde = new RegistryAvroSerde<>(type);
    serde.configure(clientProperties, false);
    consumer = new KafkaConsumer<>(props, new StringDeserializer(), serde.deserializer());
    consumer.subscribe(List.of(topic));
  }

  /** Polls until {@code done} holds for the latest values (or the timeout), then {@code settle} longer. */
  public Map<String, V> awaitLatest(Predicate<Map<String, V>> done, Duration timeout, Duration settle) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.test(latest) && System.nanoTime() < deadline) {
      poll();
    }
    long settleUntil = System.nanoTime() + settle.toNanos();
    while (System.nanoTime() < settleUntil) {
      poll();
    }
    return Map.copyOf(latest);
  }

  public List<ConsumerRecord<String, V>> records() {
    return List.copyOf(records);
  }

  private void poll() {
    for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(200))) {
      records.add(r);
      latest.put(r.key(), r.value());
    }
  }

  @Override
  public void close() {
    consumer.close();
  }
}
