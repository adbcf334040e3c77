package io.queststream.demo.infra;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/** Creates the pipeline's topics on the demo broker with the configs the apps expect. */
public final class TopicSetup {

  private static final String LARGE = String.valueOf(32 * 1024 * 1024);

  private TopicSetup() {}

  public static void create(String bootstrap, int partitions) throws ExecutionException, InterruptedException {
    create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), partitions);
  }

  /** As above, with a full admin client configuration (a secured cluster's credentials). */
  public static void create(Map<String, Object> adminConfig, int partitions)
      throws ExecutionException, InterruptedException {
    Map<String, String> compacted = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    List<NewTopic> topics = List.of(
        new NewTopic("chat-turns", partitions, (short) 1),
        new NewTopic("character-cards", 1, (short) 1).configs(compacted),
        new NewTopic("turn-scores", partitions, (short) 1),
        new NewTopic("moderation-events", partitions, (short) 1),
        new NewTopic("turn-embeddings", partitions, (short) 1),
        new NewTopic("turn-ratings", partitions, (short) 1),
        new NewTopic("turn-preferences", partitions, (short) 1),
        new NewTopic("reward-weights", 1, (short) 1).configs(Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
            TopicConfig.MAX_MESSAGE_BYTES_CONFIG, LARGE)),
        new NewTopic("scoring-dlq", partitions, (short) 1));
    try (Admin admin = Admin.create(adminConfig)) {
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get();
      }
    }
  }
}
