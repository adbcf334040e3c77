package io.queststream.demo.infra;

import io.queststream.streams.config.AppConfig;
import io.queststream.streams.topics.TopicProvisioner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Creates the pipeline's topics on the demo broker: the streams app's own plan (same names and configs it would
 * create itself, the analytics topics included) plus the trainer's feedback topics it does not already hold, before
 * anything publishes to them.
 */
public final class TopicSetup {

  private TopicSetup() {}

  public static void create(String bootstrap, int partitions) throws ExecutionException, InterruptedException {
    create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), partitions);
  }

  /** As above, with a full admin client configuration (a secured cluster's credentials). */
  public static void create(Map<String, Object> adminConfig, int partitions)
      throws ExecutionException, InterruptedException {
    create(adminConfig, partitions, (short) 1);
  }

  /** As above, every topic with {@code replicationFactor} replicas. */
  public static void create(Map<String, Object> adminConfig, int partitions, short replicationFactor)
      throws ExecutionException, InterruptedException {
    AppConfig streams = AppConfig.from(Map.of("topics.partitions", String.valueOf(partitions),
        "topics.replication-factor", String.valueOf(replicationFactor)));
    List<NewTopic> topics = new ArrayList<>(TopicProvisioner.plan(streams));
    for (String feedback : List.of("turn-ratings", "turn-preferences")) {
      if (topics.stream().noneMatch(t -> t.name().equals(feedback))) {
        topics.add(new NewTopic(feedback, partitions, replicationFactor));
      }
    }
    try (Admin admin = Admin.create(adminConfig)) {
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get();
      }
    }
  }
}
