package io.queststream.demo.score;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queststream.demo.chaos.PlumbingHeads;
import io.queststream.demo.chaos.ProcessClasspath;
import io.queststream.demo.cli.QuestStreamCli;
import io.queststream.demo.security.WeightsKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code quest-stream score --json} as a person runs it, in its own JVM with the launcher's logging: stdout is one
 * JSON document, stderr stays empty on a machine without a GPU, and every rating lies on the scale it names.
 */
class ScoreCommandIT {

  @Test
  void givenThreeReplies_whenScoredAsJson_thenStdoutIsOnlyJsonAndStderrIsEmpty() throws Exception {
    Path work = ProcessClasspath.workDir("score-json");
    Path weights = PlumbingHeads.writeMiniLmFile(work.resolve("heads.avro"),
        WeightsKeys.createOrLoad(work.resolve("signing")).signer());
    Path conversation = Files.writeString(work.resolve("conversation.json"), """
        {"character": {"name": "Brenna", "persona": "Warm innkeeper.", "scenario": "A stormy night."},
         "messages": [{"role": "user", "text": "Any rooms left tonight?"}],
         "responses": ["*reaches for a brass key* One left, love, up the creaky stair.",
                       "As an AI language model, I don't have rooms.", "Yes."]}
        """);
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", ProcessClasspath.ofThisModule(), QuestStreamCli.class.getName(), "score", conversation.toString(),
        "--weights", weights.toString(), "--json"));
    ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
        .redirectOutput(work.resolve("stdout").toFile()).redirectError(work.resolve("stderr").toFile());
    // The suite's JVM options (the root pom) make every JVM print a notice on stderr; a user's shell has none.
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    Process p = builder.start();

    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("score finished").isTrue();

    assertThat(Files.readString(work.resolve("stderr"))).isEmpty();
    assertThat(p.exitValue()).isZero();
    JsonNode results = new ObjectMapper().readTree(work.resolve("stdout").toFile());
    assertThat(results).hasSize(3);
    for (JsonNode reply : results) {
      assertThat(reply.path("scale").get(0).asDouble()).isEqualTo(1.0);
      assertThat(reply.path("scale").get(1).asDouble()).isEqualTo(10.0);
      assertThat(reply.path("attributes")).hasSize(6).allSatisfy(a ->
          assertThat(a.path("rewardOnScale").asDouble()).isBetween(1.0, 10.0));
    }
  }
}
