package io.queststream.model.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queststream.model.api.CharacterProfile;
import io.queststream.model.api.ChatMessage;
import io.queststream.model.api.ScoringRequest;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** parity.json as written by tools/make_parity_fixture.py (and by the export tool for real models). */
record ParityFixture(Path dir, List<Turn> turns) {

  record Turn(ScoringRequest request, long[] inputIds, int contextEnd, int promptEnd, float[] promptEmbedding,
      float[] responseEmbedding, float[] rewards, float[] gating, float[] coefficients, float score) {}

  static ParityFixture tinyDecoder() throws IOException {
    try {
      return load(Path.of(ParityFixture.class.getResource("/parity/tiny-decoder").toURI()));
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
  }

  static ParityFixture load(Path dir) throws IOException {
    JsonNode root = new ObjectMapper().readTree(dir.resolve("parity.json").toFile());
    List<Turn> turns = new ArrayList<>();
    for (JsonNode t : root.path("turns")) {
      JsonNode c = t.path("character");
      CharacterProfile character = c.isNull() || c.isMissingNode() ? null : new CharacterProfile(
          c.path("character_id").asText(), c.path("name").asText(), c.path("persona").asText(),
          c.path("scenario").asText());
      List<ChatMessage> history = new ArrayList<>();
      t.path("history").forEach(m -> history.add(new ChatMessage(m.path("role").asText(), m.path("text").asText())));
      ScoringRequest request = new ScoringRequest(t.path("turn_id").asText(), character, history,
          t.path("response").asText());
      long[] ids = new long[t.path("input_ids").size()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = t.path("input_ids").get(i).asLong();
      }
      turns.add(new Turn(request, ids, t.path("context_end").asInt(), t.path("prompt_end").asInt(),
          floats(t.path("prompt_embedding")), floats(t.path("response_embedding")), floats(t.path("rewards")),
          floats(t.path("gating")), floats(t.path("coefficients")), (float) t.path("score").asDouble()));
    }
    return new ParityFixture(dir, turns);
  }

  List<ScoringRequest> requests() {
    return turns.stream().map(Turn::request).toList();
  }

  private static float[] floats(JsonNode array) {
    float[] v = new float[array.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) array.get(i).asDouble();
    }
    return v;
  }
}
