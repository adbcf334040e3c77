package io.queststream.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.sample.io.DatasetFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CommittedDataReproducibilityTest {

  private static final List<String> FILES = List.of(
      DatasetFiles.avro(DatasetFiles.CHARACTER_CARDS), DatasetFiles.jsonLines(DatasetFiles.CHARACTER_CARDS),
      DatasetFiles.avro(DatasetFiles.CHAT_TURNS), DatasetFiles.jsonLines(DatasetFiles.CHAT_TURNS),
      DatasetFiles.avro(DatasetFiles.TURN_RATINGS), DatasetFiles.jsonLines(DatasetFiles.TURN_RATINGS),
      DatasetFiles.avro(DatasetFiles.TURN_PREFERENCES), DatasetFiles.jsonLines(DatasetFiles.TURN_PREFERENCES),
      DatasetFiles.avro(DatasetFiles.TURN_RANKINGS), DatasetFiles.jsonLines(DatasetFiles.TURN_RANKINGS),
      DatasetFiles.POLICY_ELO, DatasetFiles.ASSISTANT_QUALITY);

  @Test
  void generatingWithSeed42ReproducesTheCommittedFilesByteForByte(@TempDir Path out) throws IOException {
    // given the committed data set on the classpath
    StringWriter summary = new StringWriter();
    CommandLine command = command();
    command.setOut(new PrintWriter(summary));

    // when the generator runs with the documented command
    int exitCode = command.execute("generate", "--out", out.toString(), "--seed", "42");

    // then every file is identical, so the data can only change through the generator
    assertThat(exitCode).isZero();
    assertThat(summary.toString()).startsWith("Wrote 20 cards, ").contains("(300 conversations)");
    for (String file : FILES) {
      assertThat(Files.readAllBytes(out.resolve(file)))
          .as("%s differs from the committed file: regenerate the data set (see sample-data/README.md)", file)
          .isEqualTo(committed(file));
    }
  }

  @Test
  void anotherSeedGivesOtherConversations(@TempDir Path out) throws IOException {
    // when
    int exitCode = command().execute("generate", "--out", out.toString(), "--seed", "7", "--conversations", "20");

    // then
    assertThat(exitCode).isZero();
    SampleDataset other = SampleData.load(out);
    assertThat(other.turnsByConversation()).hasSize(20);
    assertThat(other.turns().get(1).getText()).isNotEqualTo(SampleData.load().turns().get(1).getText());
  }

  @Test
  void eloOverridesChangeOnlyThePublishedTable(@TempDir Path out) {
    // when
    int exitCode = command().execute("generate", "--out", out.toString(), "--conversations", "20",
        "--elo", "tiny-rp-1b=700");

    // then
    assertThat(exitCode).isZero();
    SampleDataset dataset = SampleData.load(out);
    assertThat(dataset.policyElo()).containsEntry("tiny-rp-1b", 700).containsEntry("mythomax-l2-13b", 1141);
    assertThat(dataset.turns().get(1).getText()).isEqualTo(SampleData.load().turns().get(1).getText());
  }

  @Test
  void unknownModelInEloOverrideIsAUsageError(@TempDir Path out) {
    // given
    StringWriter errors = new StringWriter();
    CommandLine command = command();
    command.setErr(new PrintWriter(errors));

    // when
    int exitCode = command.execute("generate", "--out", out.toString(), "--elo", "gpt-9=1500");

    // then
    assertThat(exitCode).isEqualTo(2);
    assertThat(errors.toString()).contains("No policy model named 'gpt-9'");
  }

  @Test
  void unwritableOutputIsReportedWithoutAStackTrace(@TempDir Path directory) throws IOException {
    // given a regular file where the output directory should be
    Path file = Files.writeString(directory.resolve("not-a-directory"), "x");
    StringWriter errors = new StringWriter();
    CommandLine command = command();
    command.setErr(new PrintWriter(errors));

    // when
    int exitCode = command.execute("generate", "--out", file.toString(), "--conversations", "1");

    // then
    assertThat(exitCode).isEqualTo(1);
    assertThat(errors.toString()).startsWith("Cannot write the sample data to " + file).doesNotContain("\tat ");
  }

  @Test
  void helpExplainsEveryOption() {
    // given
    StringWriter help = new StringWriter();
    CommandLine command = command();
    command.setOut(new PrintWriter(help));

    // when
    int exitCode = command.execute("generate", "--help");

    // then
    assertThat(exitCode).isZero();
    assertThat(help.toString()).contains("--out", "--seed", "--conversations", "--elo", "byte-identical");
  }

  /** The command with its summary line discarded; tests that read the output replace the writer. */
  private static CommandLine command() {
    CommandLine command = new CommandLine(new SampleDataGenerator());
    command.setOut(new PrintWriter(Writer.nullWriter()));
    return command;
  }

  private static byte[] committed(String file) throws IOException {
    try (InputStream in = SampleData.class.getResourceAsStream(DatasetFiles.CLASSPATH_ROOT + file)) {
      assertThat(in).as("committed %s on the classpath", file).isNotNull();
      return in.readAllBytes();
    }
  }
}
