package io.queststream.schemas;

import io.queststream.serde.registry.SchemaIncompatibilities;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * The released versions of the project's schemas, kept as {@code released/v<N>/<Name>.avsc} (test resources), and
 * the rule that guards them: each current schema must read data written with its latest released version
 * (BACKWARD compatibility), so consumers can be upgraded before producers.
 */
final class ReleasedSchemas {

  private static final Pattern VERSION_DIR = Pattern.compile("v(\\d+)");

  private final Path root;

  ReleasedSchemas(Path root) {
    this.root = root;
  }

  static ReleasedSchemas onClasspath() {
    URL released = ReleasedSchemas.class.getClassLoader().getResource("released");
    if (released == null) {
      throw new IllegalStateException("no released/ directory on the test classpath");
    }
    try {
      return new ReleasedSchemas(Path.of(released.toURI()));
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What is wrong with the current schemas, one line each; empty when every schema is safe to publish. */
  List<String> problems(Collection<Schema> current) {
    List<String> problems = new ArrayList<>();
    for (Schema schema : current) {
      Optional<Release> latest = latest(schema.getName());
      if (latest.isEmpty()) {
        problems.add(schema.getFullName() + " has no released version: add released/v1/" + schema.getName()
            + ".avsc (its getClassSchema().toString(true))");
        continue;
      }
      SchemaPairCompatibility compatibility =
          SchemaCompatibility.checkReaderWriterCompatibility(schema, latest.get().schema());
      if (compatibility.getType() != SchemaCompatibilityType.COMPATIBLE) {
        problems.add(schema.getFullName() + " cannot read data written with released v" + latest.get().version()
            + ": " + SchemaIncompatibilities.describe(compatibility));
      }
    }
    return problems;
  }

  record Release(int version, Schema schema) {}

  /** The highest released version of the schema with this simple name. */
  Optional<Release> latest(String name) {
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs
          .filter(dir -> Files.isRegularFile(dir.resolve(name + ".avsc")))
          .map(dir -> VERSION_DIR.matcher(dir.getFileName().toString()))
          .filter(Matcher::matches)
          .map(m -> Integer.parseInt(m.group(1)))
          .max(Comparator.naturalOrder())
          .map(version -> new Release(version, parse(root.resolve("v" + version).resolve(name + ".avsc"))));
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + root, e);
    }
  }

  private static Schema parse(Path file) {
    try {
      return new Schema.Parser().parse(file.toFile());
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }
}
