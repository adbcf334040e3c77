package io.queststream.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The same checks as the in-JVM kit, against Confluent's own images; skipped where Docker is not available. */
@Testcontainers(disabledWithoutDocker = true)
class ConfluentStackIT {

  private static ConfluentStack stack;

  @BeforeAll
  static void start() {
    stack = new ConfluentStack().start();
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void brokerAcceptsTopicsAndRegistryServesSubjects() throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic("probe", 1, (short) 1))).all().get();
      assertThat(admin.listTopics().names().get()).contains("probe");
    }
    HttpResponse<String> subjects = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(stack.registryUrl() + "/subjects")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(subjects.statusCode()).isEqualTo(200);
  }
}
