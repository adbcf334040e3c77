package io.queststream.sample.io;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.queststream.sample.ConstructedQuality;
import io.queststream.sample.QuestAttribute;
import io.queststream.sample.SampleDataset;
import io.queststream.schemas.AttributeRating;
import io.queststream.schemas.CharacterCard;
import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.PreferencePair;
import io.queststream.schemas.Ranking;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/** Writes a data set as Avro container files, JSON lines twins, the Elo table and the constructed qualities. */
public final class DatasetWriter {

  private static final int SYNC_MARKER_BYTES = 16;
  private static final int OVERALL_DECIMALS = 4;

  private final ObjectMapper mapper = new ObjectMapper();
  private final JsonLines jsonLines = new JsonLines(mapper);

  /**
   * @param seed also fixes the Avro sync marker, so the same seed gives the same bytes
   */
  public void write(SampleDataset dataset, Path directory, long seed) throws IOException {
    Files.createDirectories(directory);
    byte[] sync = syncMarker(seed);
    writeBoth(directory, DatasetFiles.CHARACTER_CARDS, CharacterCard.getClassSchema(), dataset.cards(), sync);
    writeBoth(directory, DatasetFiles.CHAT_TURNS, ChatTurn.getClassSchema(), dataset.turns(), sync);
    writeBoth(directory, DatasetFiles.TURN_RATINGS, AttributeRating.getClassSchema(), dataset.ratings(), sync);
    writeBoth(directory, DatasetFiles.TURN_PREFERENCES, PreferencePair.getClassSchema(),
        dataset.preferencePairs(), sync);
    writeBoth(directory, DatasetFiles.TURN_RANKINGS, Ranking.getClassSchema(), dataset.rankings(), sync);
    writeElo(directory.resolve(DatasetFiles.POLICY_ELO), dataset.policyElo());
    writeQuality(directory.resolve(DatasetFiles.ASSISTANT_QUALITY), dataset.trueQualities());
  }

  private <T extends SpecificRecord> void writeBoth(Path directory, String base, Schema schema, List<T> records,
      byte[] sync) throws IOException {
    try (OutputStream out = Files.newOutputStream(directory.resolve(DatasetFiles.avro(base)))) {
      AvroContainerFiles.write(out, schema, records, sync);
    }
    Path jsonFile = directory.resolve(DatasetFiles.jsonLines(base));
    try (Writer out = Files.newBufferedWriter(jsonFile, StandardCharsets.UTF_8)) {
      for (T record : records) {
        out.write(jsonLines.line(record));
        out.write('\n');
      }
    }
  }

  private void writeElo(Path file, Map<String, Integer> elo) throws IOException {
    Map<String, Object> table = new LinkedHashMap<>();
    table.put("description", "Published arena ratings (Elo) of the policy models that wrote the sample turns; "
        + "the calibration reads them as reference ratings.");
    table.put("ratings", elo);
    DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
        .withObjectIndenter(new DefaultIndenter("  ", "\n"));
    String json = mapper.writer(printer).writeValueAsString(table) + "\n";
    Files.writeString(file, json, StandardCharsets.UTF_8);
  }

  private void writeQuality(Path file, Map<String, ConstructedQuality> qualities) throws IOException {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (Map.Entry<String, ConstructedQuality> entry : qualities.entrySet()) {
        out.write(mapper.writeValueAsString(QualityRecord.of(entry.getKey(), entry.getValue())));
        out.write('\n');
      }
    }
  }

  private static byte[] syncMarker(long seed) {
    byte[] marker = new byte[SYNC_MARKER_BYTES];
    new SplittableRandom(seed).nextBytes(marker);
    return marker;
  }

  /** One line of assistant-quality.jsonl; the overall true quality is derived, written for readers' convenience. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record QualityRecord(String turnId, boolean degenerate, Map<String, String> levels, BigDecimal overall) {

    static QualityRecord of(String turnId, ConstructedQuality quality) {
      Map<String, String> levels = new LinkedHashMap<>();
      for (QuestAttribute attribute : QuestAttribute.values()) {
        levels.put(attribute.label(), quality.level(attribute).name());
      }
      // A fixed scale, because Double.toString's digits changed between JDK releases (JDK-4511638).
      BigDecimal overall = BigDecimal.valueOf(quality.overall()).setScale(OVERALL_DECIMALS, RoundingMode.HALF_EVEN);
      return new QualityRecord(turnId, quality.degenerate(), levels, overall);
    }
  }
}
