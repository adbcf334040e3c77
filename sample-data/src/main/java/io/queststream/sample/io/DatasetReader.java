package io.queststream.sample.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queststream.sample.ConstructedQuality;
import io.queststream.sample.QualityLevel;
import io.queststream.sample.QuestAttribute;
import io.queststream.sample.SampleDataset;
import io.queststream.schemas.AttributeRating;
import io.queststream.schemas.CharacterCard;
import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.PreferencePair;
import io.queststream.schemas.Ranking;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** Reads a data set written by {@link DatasetWriter} from the classpath or a directory. */
public final class DatasetReader {

  /** Opens one file of the data set by name. */
  @FunctionalInterface
  public interface Source {
    InputStream open(String fileName) throws IOException;
  }

  private final ObjectMapper mapper = new ObjectMapper();

  public static Source classpath() {
    return fileName -> {
      InputStream in = DatasetReader.class.getResourceAsStream(DatasetFiles.CLASSPATH_ROOT + fileName);
      if (in == null) {
        throw new IOException("Sample data file missing from the classpath: "
            + DatasetFiles.CLASSPATH_ROOT + fileName);
      }
      return in;
    };
  }

  public static Source directory(Path directory) {
    return fileName -> Files.newInputStream(directory.resolve(fileName));
  }

  public SampleDataset read(Source source) {
    try {
      return new SampleDataset(
          avro(source, DatasetFiles.CHARACTER_CARDS, CharacterCard.class),
          avro(source, DatasetFiles.CHAT_TURNS, ChatTurn.class),
          avro(source, DatasetFiles.TURN_RATINGS, AttributeRating.class),
          avro(source, DatasetFiles.TURN_PREFERENCES, PreferencePair.class),
          avro(source, DatasetFiles.TURN_RANKINGS, Ranking.class),
          elo(source),
          quality(source));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the sample data set: " + e.getMessage(), e);
    }
  }

  private static <T extends SpecificRecord> List<T> avro(Source source, String base, Class<T> type)
      throws IOException {
    try (InputStream in = source.open(DatasetFiles.avro(base))) {
      return AvroContainerFiles.read(in, type);
    }
  }

  private Map<String, Integer> elo(Source source) throws IOException {
    try (InputStream in = source.open(DatasetFiles.POLICY_ELO)) {
      Map<String, Integer> elo = new LinkedHashMap<>();
      mapper.readTree(in).required("ratings").properties()
          .forEach(entry -> elo.put(entry.getKey(), entry.getValue().intValue()));
      return elo;
    }
  }

  private Map<String, ConstructedQuality> quality(Source source) throws IOException {
    Map<String, ConstructedQuality> qualities = new LinkedHashMap<>();
    try (InputStream in = source.open(DatasetFiles.ASSISTANT_QUALITY);
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        JsonNode node = mapper.readTree(line);
        Map<QuestAttribute, QualityLevel> levels = new EnumMap<>(QuestAttribute.class);
        node.required("levels").properties().forEach(entry -> levels.put(
            QuestAttribute.fromLabel(entry.getKey()), QualityLevel.valueOf(entry.getValue().asText())));
        qualities.put(node.required("turn_id").asText(),
            new ConstructedQuality(levels, node.required("degenerate").asBoolean()));
      }
    }
    return qualities;
  }
}
