package io.queststream.trainer.imports.feedback;

import io.queststream.schemas.AttributeRating;
import io.queststream.schemas.PreferencePair;
import io.queststream.schemas.Ranking;
import io.queststream.schemas.TurnEmbedding;
import io.queststream.serde.RegistryAvroSerde;
import io.queststream.trainer.config.TrainerConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends imported feedback to the trainer's topics as the platform would: embeddings keyed by turn id, ratings by turn
 * id, preference pairs by context id, in the registry's wire format (two record types share the preferences topic,
 * hence subjects per topic and record). Idempotent, acks from all replicas; the trainer deduplicates by record id, so
 * sending an import twice trains it once.
 */
public final class FeedbackTopics {

  private FeedbackTopics() {}

  /** Sends the records and waits for every acknowledgement; returns the count per topic. */
  public static Map<String, Integer> send(TrainerConfig config, List<SpecificRecord> records) {
    Map<String, Object> p = new HashMap<>(config.kafka());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 20);
    // Embeddings of large backbones make big records; the trainer's consumer takes what the broker accepts.
    p.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
    Map<String, Object> serde = new HashMap<>(config.serde());
    serde.putIfAbsent("subject.name.strategy", "topic_record");
    RegistryAvroSerde<SpecificRecord> values = RegistryAvroSerde.anyOf(TurnEmbedding.class, AttributeRating.class,
        PreferencePair.class, Ranking.class);
    values.configure(serde, false);
    Map<String, Integer> sent = new LinkedHashMap<>();
    List<Future<RecordMetadata>> acks = new ArrayList<>();
    try (KafkaProducer<String, SpecificRecord> producer =
             new KafkaProducer<>(p, new StringSerializer(), values.serializer())) {
      for (SpecificRecord r : records) {
        ProducerRecord<String, SpecificRecord> out = route(config, r);
        acks.add(producer.send(out));
        sent.merge(out.topic(), 1, Integer::sum);
      }
      producer.flush();
      for (Future<RecordMetadata> ack : acks) {
        ack.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("the broker did not take the import: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending the import", e);
    }
    return sent;
  }

  private static ProducerRecord<String, SpecificRecord> route(TrainerConfig config, SpecificRecord r) {
    if (r instanceof TurnEmbedding e) {
      return new ProducerRecord<>(config.topic("embeddings"), e.getTurnId().toString(), r);
    }
    if (r instanceof AttributeRating a) {
      return new ProducerRecord<>(config.topic("ratings"), a.getTurnId().toString(), r);
    }
    if (r instanceof PreferencePair pp) {
      return new ProducerRecord<>(config.topic("preferences"), pp.getContextId().toString(), r);
    }
    throw new IllegalArgumentException("not imported feedback: " + r.getClass().getName());
  }
}
