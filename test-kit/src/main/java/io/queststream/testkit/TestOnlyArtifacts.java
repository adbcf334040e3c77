package io.queststream.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Finds what belongs in tests or benchmarks only on an application's runtime classpath, as Maven writes it
 * (dependency:build-classpath, runtime scope): test frameworks, this test kit, the Kafka broker and its server-side
 * jars, and optionally the sample data. The images copy exactly that classpath, so whatever is found here would ship.
 */
public final class TestOnlyArtifacts {

  private static final List<Pattern> TEST_ONLY = List.of(
      Pattern.compile("/junit-[^/]*\\.jar$"),
      Pattern.compile("/opentest4j-[^/]*\\.jar$"),
      Pattern.compile("/assertj-[^/]*\\.jar$"),
      Pattern.compile("/awaitility-[^/]*\\.jar$"),
      Pattern.compile("/testcontainers[^/]*\\.jar$"),
      Pattern.compile("/kafka_2\\.1[0-9]-[^/]*\\.jar$"),
      Pattern.compile("/kafka-(server|raft|storage|metadata|test-common|group-coordinator|transaction-coordinator"
          + "|share-coordinator|coordinator-common)[^/]*\\.jar$"),
      Pattern.compile("/test-kit(/target/classes|-[^/]*\\.jar)$"),
      Pattern.compile("/bench(/target/classes|-[^/]*\\.jar)$"));
  private static final Pattern SAMPLE_DATA = Pattern.compile("/sample-data(/target/classes|-[^/]*\\.jar)$");

  private TestOnlyArtifacts() {}

  /**
   * The entries of a classpath file (entries separated by the path separator) that are test or bench artifacts.
   *
   * @param sampleDataAllowed the application uses the sample data itself (the trainer's bootstrap does)
   */
  public static List<String> in(Path classpathFile, boolean sampleDataAllowed) throws IOException {
    String classpath = Files.readString(classpathFile).trim();
    return Arrays.stream(classpath.split(Pattern.quote(java.io.File.pathSeparator)))
        .filter(entry -> TEST_ONLY.stream().anyMatch(p -> p.matcher(entry).find())
            || (!sampleDataAllowed && SAMPLE_DATA.matcher(entry).find()))
        .toList();
  }
}
