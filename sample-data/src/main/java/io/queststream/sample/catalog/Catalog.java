package io.queststream.sample.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The hand-written vocabulary the generator combines: character files listed, in order, by
 * {@code catalog/characters.txt} (the order fixes character ids' positions, so it is part of determinism) and the
 * shared {@code catalog/phrasebook.json}.
 */
public record Catalog(List<CharacterSpec> characters, Phrasebook phrasebook) {

  private static final String ROOT = "/io/queststream/sample/catalog/";

  public Catalog {
    characters = List.copyOf(characters);
  }

  public static Catalog load() {
    ObjectMapper mapper = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    List<CharacterSpec> characters = new ArrayList<>();
    for (String file : characterFiles()) {
      characters.add(read(mapper, ROOT + "characters/" + file, CharacterSpec.class));
    }
    return new Catalog(characters, read(mapper, ROOT + "phrasebook.json", Phrasebook.class));
  }

  private static List<String> characterFiles() {
    try (InputStream in = open(ROOT + "characters.txt");
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      return reader.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the character index", e);
    }
  }

  private static <T> T read(ObjectMapper mapper, String resource, Class<T> type) {
    try (InputStream in = open(resource)) {
      return mapper.readValue(in, type);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read catalog resource " + resource + ": " + e.getMessage(), e);
    }
  }

  private static InputStream open(String resource) {
    InputStream in = Catalog.class.getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException("Catalog resource missing from the classpath: " + resource);
    }
    return in;
  }
}
