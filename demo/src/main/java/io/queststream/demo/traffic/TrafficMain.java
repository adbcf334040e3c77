package io.queststream.demo.traffic;

import io.queststream.demo.infra.ClusterOptions;
import io.queststream.sample.SampleData;
import io.queststream.schemas.AttributeRating;
import io.queststream.schemas.CharacterCard;
import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.PreferencePair;
import io.queststream.schemas.Ranking;
import io.queststream.schemas.TurnSelection;
import io.queststream.serde.RegistryAvroSerde;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Replays the sample roleplay conversations into Kafka. */
@Command(name = "traffic", mixinStandardHelpOptions = true,
    description = "Replays sample conversations into chat-turns at a steady rate, with some bad records.")
public final class TrafficMain implements Callable<Integer> {

  @Mixin
  ClusterOptions cluster;

  @Option(names = "--rate", defaultValue = "20", description = "Turns per second (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--concurrent-conversations", defaultValue = "8",
      description = "Conversations interleaved at a time (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--bad-every", defaultValue = "40",
      description = "Send one malformed record after every N turns; 0 disables (default: ${DEFAULT-VALUE}).")
  int badEvery;

  @Option(names = "--max-turns", defaultValue = "0", description = "Stop after N turns; 0 = no limit (default: ${DEFAULT-VALUE}).")
  long maxTurns;

  @Option(names = "--loop", defaultValue = "true", negatable = true,
      description = "Replay the dataset again with fresh ids when it ends (default: ${DEFAULT-VALUE}).")
  boolean loop;

  @Option(names = "--feedback", defaultValue = "true", negatable = true,
      description = "Also send the sample ratings, preference pairs and rankings of the turns sent, and the user's "
          + "selection among each turn's regenerations (default: ${DEFAULT-VALUE}).")
  boolean feedback;

  @Option(names = "--drift-after", defaultValue = "0", description = "After N turns, replace every reply of the "
      + "--drift-character by one of the sample data's degenerate replies (spam, refusals, insults), a drift for the "
      + "analytics to find; 0 disables (default: ${DEFAULT-VALUE}).")
  long driftAfter;

  @Option(names = "--drift-character", defaultValue = "innkeeper-brenna",
      description = "Character whose replies degrade with --drift-after (default: ${DEFAULT-VALUE}).")
  String driftCharacter;

  @Option(names = "--turns-topic", defaultValue = "chat-turns", description = "(default: ${DEFAULT-VALUE})")
  String turnsTopic;

  @Option(names = "--cards-topic", defaultValue = "character-cards", description = "(default: ${DEFAULT-VALUE})")
  String cardsTopic;

  @Option(names = "--ratings-topic", defaultValue = "turn-ratings", description = "(default: ${DEFAULT-VALUE})")
  String ratingsTopic;

  @Option(names = "--preferences-topic", defaultValue = "turn-preferences", description = "(default: ${DEFAULT-VALUE})")
  String preferencesTopic;

  @Option(names = "--selections-topic", defaultValue = "turn-selections", description = "(default: ${DEFAULT-VALUE})")
  String selectionsTopic;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> producerConfig = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap,
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.LINGER_MS_CONFIG, 5);
    Map<String, Object> serdeConfig = Map.of("schema.registry.url", cluster.registryUrl);
    RegistryAvroSerde<CharacterCard> cardSerde = new RegistryAvroSerde<>(CharacterCard.class);
    cardSerde.configure(serdeConfig, false);
    RegistryAvroSerde<ChatTurn> turnSerde = new RegistryAvroSerde<>(ChatTurn.class);
    turnSerde.configure(serdeConfig, false);
    // Ratings and preferences are several record types: one subject per topic and record type.
    RegistryAvroSerde<SpecificRecord> feedbackSerde =
        RegistryAvroSerde.anyOf(AttributeRating.class, PreferencePair.class, Ranking.class, TurnSelection.class);
    feedbackSerde.configure(Map.of("schema.registry.url", cluster.registryUrl, "subject.name.strategy", "topic_record"),
        false);
    TrafficSettings settings = new TrafficSettings(turnsTopic, cardsTopic, ratingsTopic, preferencesTopic,
        selectionsTopic, rate,
        concurrency, badEvery, maxTurns, loop, feedback, driftAfter, driftCharacter);
    try (KafkaProducer<String, CharacterCard> cards =
             new KafkaProducer<>(producerConfig, new StringSerializer(), cardSerde.serializer());
         KafkaProducer<String, ChatTurn> turns =
             new KafkaProducer<>(producerConfig, new StringSerializer(), turnSerde.serializer());
         KafkaProducer<String, byte[]> raw =
             new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
         KafkaProducer<String, SpecificRecord> feedbackProducer =
             new KafkaProducer<>(producerConfig, new StringSerializer(), feedbackSerde.serializer())) {
      TrafficGenerator generator =
          new TrafficGenerator(SampleData.load(), cards, turns, raw, feedbackProducer, settings);
      generator.publishCards();
      long sent = generator.run();
      System.out.println("Sent " + sent + " turns");
    }
    return 0;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new TrafficMain()).execute(args));
  }
}
