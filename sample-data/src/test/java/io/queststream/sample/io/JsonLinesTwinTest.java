package io.queststream.sample.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queststream.schemas.AttributeRating;
import io.queststream.schemas.CharacterCard;
import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.PreferencePair;
import io.queststream.schemas.Ranking;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class JsonLinesTwinTest {

  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void everyJsonLinesFileHoldsTheSameRecordsAsItsAvroTwin() throws IOException {
    assertTwins(DatasetFiles.CHARACTER_CARDS, CharacterCard.class, "character_id", CharacterCard::getCharacterId);
    assertTwins(DatasetFiles.CHAT_TURNS, ChatTurn.class, "turn_id", ChatTurn::getTurnId);
    assertTwins(DatasetFiles.TURN_RATINGS, AttributeRating.class, "rating_id", AttributeRating::getRatingId);
    assertTwins(DatasetFiles.TURN_PREFERENCES, PreferencePair.class, "pair_id", PreferencePair::getPairId);
    assertTwins(DatasetFiles.TURN_RANKINGS, Ranking.class, "ranking_id", Ranking::getRankingId);
  }

  @Test
  void jsonLinesUseBareNullablesAndIsoTimestamps() throws IOException {
    List<JsonNode> turns = jsonLines(DatasetFiles.CHAT_TURNS);
    List<ChatTurn> records = avro(DatasetFiles.CHAT_TURNS, ChatTurn.class);

    JsonNode reply = turns.get(1);
    assertThat(reply.get("policy_model").isTextual()).isTrue();
    assertThat(reply.get("policy_model").asText()).isEqualTo(records.get(1).getPolicyModel());
    assertThat(turns.get(0).get("policy_model").isNull()).isTrue();
    assertThat(Instant.parse(reply.get("created_at").asText())).isEqualTo(records.get(1).getCreatedAt());
    assertThat(reply.get("text").asText()).isEqualTo(records.get(1).getText());
  }

  private <T extends SpecificRecord> void assertTwins(String base, Class<T> type, String idField,
      Function<T, String> id) throws IOException {
    List<String> avroIds = avro(base, type).stream().map(id).toList();
    List<String> jsonIds = jsonLines(base).stream().map(node -> node.get(idField).asText()).toList();

    assertThat(jsonIds).as(base).isNotEmpty().isEqualTo(avroIds);
  }

  private static <T extends SpecificRecord> List<T> avro(String base, Class<T> type) throws IOException {
    try (InputStream in = DatasetReader.classpath().open(DatasetFiles.avro(base))) {
      return AvroContainerFiles.read(in, type);
    }
  }

  private List<JsonNode> jsonLines(String base) throws IOException {
    List<JsonNode> nodes = new ArrayList<>();
    try (InputStream in = DatasetReader.classpath().open(DatasetFiles.jsonLines(base));
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        nodes.add(mapper.readTree(line));
      }
    }
    return nodes;
  }
}
