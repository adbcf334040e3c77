package io.queststream.trainer.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.codec.Matrices;
import io.queststream.schemas.weights.WeightsContract;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionHistoryTest {

  @Test
  void aRestartCutsATornLineAndRecordsVersionsCommittedBeforeTheCrash(@TempDir Path dir) throws Exception {
    // given v1 recorded, then a crash after v2 was committed to the topic, halfway through recording it
    VersionHistory before = new VersionHistory(dir);
    RewardHeads v1 = heads(1, null);
    before.append(new HistoryEntry(1, null, "promoted", 1L, Map.of(), Map.of(), List.of(), before.saveWeights(v1)));
    Files.writeString(dir.resolve("history.jsonl"), "{\"version\":2,\"parentVers", StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);

    // when the trainer restarts and catches up with what the topic holds
    VersionHistory after = new VersionHistory(dir);
    int added = after.recordCommitted(List.of(v1, heads(2, 1L)));

    // then the torn line is gone, v2 is recorded once with its weights, v1 is not repeated
    assertThat(added).isEqualTo(1);
    assertThat(after.entries()).extracting(HistoryEntry::version).containsExactly(1L, 2L);
    assertThat(after.entries().get(1).parentVersion()).isEqualTo(1L);
    assertThat(after.weights(2)).map(RewardHeads::getVersion).contains(2L);
    assertThat(after.recordCommitted(List.of(v1, heads(2, 1L)))).isZero();
  }

  private static RewardHeads heads(long version, Long parent) {
    return RewardHeads.newBuilder().setModelName(WeightsContract.MODEL_NAME).setVersion(version)
        .setParentVersion(parent)
        .setStatus("promoted").setBackboneId("test-backbone").setEmbeddingDim(2).setPooling("mean")
        .setAttributeNames(List.of("creativity")).setRegression(Matrices.row(new float[] {0.5f, -0.5f}))
        .setGatingLayers(List.of()).setTransform(Matrices.row(new float[] {1f})).setCreatedAt(Instant.now())
        .build();
  }
}
