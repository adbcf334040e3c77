package io.queststream.trainer.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.schemas.AttributeRating;
import io.queststream.schemas.PreferencePair;
import io.queststream.schemas.TurnEmbedding;
import io.queststream.serde.RegistryAvroSerde;
import io.queststream.testkit.KafkaBroker;
import io.queststream.testkit.RealKafka;
import io.queststream.testkit.RealSchemaRegistry;
import io.queststream.testkit.SchemaRegistryServer;
import io.queststream.trainer.cli.TrainerCommand;
import io.queststream.trainer.support.PublicDataFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `trainer import --into topics` puts public data on the feedback topics in the registry's wire format. */
@RealKafka
@RealSchemaRegistry
class ImportTopicsIT {

  static KafkaBroker broker;
  static SchemaRegistryServer registry;

  @Test
  void sendsEveryEmbeddedTurnRatingAndPairOnceKeyedAsThePlatformKeysThem(@TempDir Path dir) throws Exception {
    // given the fixture slices (14 turns, 5 usable ratings, 3 RMB and 3 QUEST-Bench pairs) and fresh topics
    String embeddings = KafkaBroker.uniqueName("turn-embeddings");
    String ratings = KafkaBroker.uniqueName("turn-ratings");
    String preferences = KafkaBroker.uniqueName("turn-preferences");
    for (String t : List.of(embeddings, ratings, preferences)) {
      broker.createTopic(t, 1);
    }
    Path config = dir.resolve("trainer.properties");
    Files.writeString(config, String.join("\n", "kafka.bootstrap.servers=" + broker.bootstrapServers(),
        "serde.schema.registry.url=" + registry.url(), "topic.embeddings=" + embeddings, "topic.ratings=" + ratings,
        "topic.preferences=" + preferences, "data.dir=" + dir.resolve("state"), ""));

    // when
    int exit = new CommandLine(new TrainerCommand()).execute("-c", config.toString(), "import", "--rmb",
        PublicDataFixtures.rmb(dir).toString(), "--quest", PublicDataFixtures.quest(dir).toString(), "--quest-card",
        "minimal", "--into", "topics");

    // then
    assertThat(exit).isZero();
    List<ConsumerRecord<String, SpecificRecord>> e = readAll(embeddings, 14);
    List<ConsumerRecord<String, SpecificRecord>> r = readAll(ratings, 5);
    List<ConsumerRecord<String, SpecificRecord>> p = readAll(preferences, 6);
    assertThat(e).hasSize(14).allSatisfy(rec -> {
      TurnEmbedding t = (TurnEmbedding) rec.value();
      assertThat(rec.key()).isEqualTo(t.getTurnId().toString());
      assertThat(t.getEmbeddingDim()).isEqualTo(384);
      assertThat(t.getParentTurnId().toString()).startsWith(t.getTurnId().toString().startsWith("rmb-")
          ? "rmb-prompt-" : "quest-scene-");
    });
    assertThat(r).hasSize(5).allSatisfy(rec -> assertThat(rec.key())
        .isEqualTo(((AttributeRating) rec.value()).getTurnId().toString()));
    assertThat(p).hasSize(6).allSatisfy(rec -> assertThat(rec.key())
        .isEqualTo(((PreferencePair) rec.value()).getContextId().toString()));
  }

  /** Everything on the topic, reading until the expected count plus a settle window that would see one more. */
  private static List<ConsumerRecord<String, SpecificRecord>> readAll(String topic, int expected) {
    RegistryAvroSerde<SpecificRecord> serde = RegistryAvroSerde.anyOf(TurnEmbedding.class, AttributeRating.class,
        PreferencePair.class);
    serde.configure(Map.of("schema.registry.url", registry.url()), false);
    List<ConsumerRecord<String, SpecificRecord>> out = new ArrayList<>();
    try (KafkaConsumer<String, SpecificRecord> c = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, KafkaBroker.uniqueName("reader"),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), serde.deserializer())) {
      c.subscribe(List.of(topic));
      long deadline = System.currentTimeMillis() + 30_000;
      while (out.size() < expected && System.currentTimeMillis() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      long settle = System.currentTimeMillis() + 1_000;
      while (System.currentTimeMillis() < settle) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }
}
