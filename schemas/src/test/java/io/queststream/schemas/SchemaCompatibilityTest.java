package io.queststream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaCompatibilityTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ReleasedSchemas released = ReleasedSchemas.onClasspath();

  @Test
  void everyGeneratedRecordIsBackwardCompatibleWithItsLatestReleasedVersion() {
    List<Schema> current = GeneratedRecords.schemas();

    assertThat(current).extracting(Schema::getName).contains("ChatTurn", "CharacterCard", "TurnScore",
        "ModerationEvent", "RuleViolation", "TurnEmbedding", "AttributeRating", "PreferencePair", "Ranking",
        "RewardHeads", "Matrix", "DenseLayer", "Explanation", "AttributeScore", "LeaderboardEntry", "MetricSummary",
        "PolicyRatings", "PolicyRating", "DriftAlert", "ScorePosition", "TurnSelection", "ModerationRules");
    assertThat(released.problems(current)).isEmpty();
  }

  @Test
  void reportsAFieldAddedWithoutADefault() throws IOException {
    Schema withNewField =
        withField(ChatTurn.getClassSchema(), "{\"name\": \"example_added_field\", \"type\": \"string\"}");

    assertThat(released.problems(List.of(withNewField))).singleElement().asString()
        .contains("io.queststream.schemas.ChatTurn cannot read data written with released v1")
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE at ChatTurn.example_added_field");
  }

  @Test
  void acceptsAFieldAddedWithADefault() throws IOException {
    Schema withNewField = withField(ChatTurn.getClassSchema(),
        "{\"name\": \"example_added_field\", \"type\": \"string\", \"default\": \"\"}");

    assertThat(released.problems(List.of(withNewField))).isEmpty();
  }

  @Test
  void reportsAChangedFieldType() throws IOException {
    ObjectNode json = (ObjectNode) JSON.readTree(Ranking.getClassSchema().toString());
    ((ObjectNode) json.withArray("fields").get(0)).put("type", "int");

    assertThat(released.problems(List.of(new Schema.Parser().parse(json.toString())))).singleElement().asString()
        .contains("TYPE_MISMATCH at Ranking.ranking_id");
  }

  @Test
  void reportsASchemaThatWasNeverReleased() {
    Schema brandNew = SchemaBuilder.record("TurnFeedback").namespace("io.queststream.schemas").fields()
        .requiredString("turn_id").endRecord();

    assertThat(released.problems(List.of(brandNew))).singleElement().asString()
        .contains("io.queststream.schemas.TurnFeedback has no released version")
        .contains("released/v1/TurnFeedback.avsc");
  }

  @Test
  void checksAgainstTheLatestReleasedVersionOnly(@TempDir Path root) throws IOException {
    Schema v1 = SchemaBuilder.record("Note").fields().requiredString("id").endRecord();
    Schema v2 = SchemaBuilder.record("Note").fields().requiredString("id")
        .name("text").type().stringType().stringDefault("").endRecord();
    Schema current = SchemaBuilder.record("Note").fields().requiredString("id").requiredString("text").endRecord();
    write(root.resolve("v1/Note.avsc"), v1);
    write(root.resolve("v2/Note.avsc"), v2);
    ReleasedSchemas history = new ReleasedSchemas(root);

    assertThat(history.latest("Note")).get().extracting(ReleasedSchemas.Release::version).isEqualTo(2);
    assertThat(history.problems(List.of(current))).isEmpty();
  }

  private static Schema withField(Schema schema, String fieldJson) throws IOException {
    ObjectNode json = (ObjectNode) JSON.readTree(schema.toString());
    ArrayNode fields = json.withArray("fields");
    fields.add(JSON.readTree(fieldJson));
    return new Schema.Parser().parse(json.toString());
  }

  private static void write(Path file, Schema schema) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, schema.toString(true));
  }
}
