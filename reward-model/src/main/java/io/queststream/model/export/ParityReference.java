package io.queststream.model.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queststream.model.api.CharacterProfile;
import io.queststream.model.api.ChatMessage;
import io.queststream.model.api.ScoringRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code parity.json} from the export tool (or the parity fixture script): conversations with the token ids, span
 * boundaries, embeddings and heads outputs the Python model produced for them.
 */
public record ParityReference(Path modelDir, List<Turn> turns) {

  /** One conversation and what the Python model computed for it. */
  public record Turn(ScoringRequest request, long[] inputIds, int contextEnd, int promptEnd, float[] promptEmbedding,
      float[] responseEmbedding, float[] rewards, float[] gating, float[] coefficients, float score) {}

  public static ParityReference load(Path modelDir) throws IOException {
    JsonNode root = new ObjectMapper().readTree(modelDir.resolve("parity.json").toFile());
    List<Turn> turns = new ArrayList<>();
    for (JsonNode t : root.path("turns")) {
      JsonNode c = t.path("character");
      CharacterProfile character = c.isNull() || c.isMissingNode() ? null : new CharacterProfile(
          c.path("character_id").asText(), c.path("name").asText(), c.path("persona").asText(),
          c.path("scenario").asText());
      List<ChatMessage> history = new ArrayList<>();
      t.path("history").forEach(m -> history.add(new ChatMessage(m.path("role").asText(), m.path("text").asText())));
      ScoringRequest request = new ScoringRequest(t.path("turn_id").asText(), character, history,
          t.path("response").asText(), t.path("user_name").asText(null));
      long[] ids = new long[t.path("input_ids").size()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = t.path("input_ids").get(i).asLong();
      }
      turns.add(new Turn(request, ids, t.path("context_end").asInt(), t.path("prompt_end").asInt(),
          floats(t.path("prompt_embedding")), floats(t.path("response_embedding")), floats(t.path("rewards")),
          floats(t.path("gating")), floats(t.path("coefficients")), (float) t.path("score").asDouble()));
    }
    if (turns.isEmpty()) {
      throw new IOException(modelDir.resolve("parity.json") + " has no turns");
    }
    return new ParityReference(modelDir, List.copyOf(turns));
  }

  public List<ScoringRequest> requests() {
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
