package io.queststream.schemas;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/** Every record class the Avro plugin generated into io.queststream.schemas, found in the compiled classes. */
final class GeneratedRecords {

  private GeneratedRecords() {}

  static List<Schema> schemas() {
    Path dir = compiledPackageDir();
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(file -> file.getFileName().toString())
          .filter(name -> name.endsWith(".class") && !name.contains("$"))
          .map(name -> load(ChatTurn.class.getPackageName() + "." + name.substring(0, name.length() - 6)))
          .filter(SpecificRecord.class::isAssignableFrom)
          .map(type -> SpecificData.get().getSchema(type))
          .sorted((a, b) -> a.getFullName().compareTo(b.getFullName()))
          .toList();
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + dir, e);
    }
  }

  private static Path compiledPackageDir() {
    try {
      Path root = Path.of(ChatTurn.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path dir = root.resolve(ChatTurn.class.getPackageName().replace('.', '/'));
      if (!Files.isDirectory(dir)) {
        throw new IllegalStateException("generated classes are not in a directory: " + root);
      }
      return dir;
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
