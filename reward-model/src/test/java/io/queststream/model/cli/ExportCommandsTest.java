package io.queststream.model.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.model.heads.HeadsFiles;
import io.queststream.schemas.RewardHeads;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The export tool's output, taken through the commands a user runs on it. */
class ExportCommandsTest {

  private static Path fixture() throws Exception {
    return Path.of(ExportCommandsTest.class.getResource("/parity/tiny-decoder").toURI());
  }

  @Test
  void importWeightsWritesAValidatedAvroRecordOfTheExportedHeads(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("tiny.avro");

    int exit = new CommandLine(new ModelCli()).execute("import-weights", fixture().toString(), "--out",
        out.toString(), "--version", "42");

    assertThat(exit).isZero();
    RewardHeads heads = HeadsFiles.read(out);
    assertThat(heads.getVersion()).isEqualTo(42);
    assertThat(heads.getBackboneId()).isEqualTo("quest-stream/tiny-decoder-parity");
    assertThat(heads.getAttributeNames()).hasSize(6).startsWith("contextual_alignment");
    assertThat(heads.getGatingLayers()).hasSize(4);
    assertThat(heads.getLogitScale()).isEqualTo(1.7f);
  }

  @Test
  void importWeightsRefusesHeadsWhoseShapesDisagree(@TempDir Path dir) throws Exception {
    Path broken = dir.resolve("broken");
    Files.createDirectories(broken.resolve("heads"));
    try (var files = Files.list(fixture().resolve("heads"))) {
      for (Path f : files.toList()) {
        Files.copy(f, broken.resolve("heads").resolve(f.getFileName()));
      }
    }
    Path spec = broken.resolve("heads").resolve("heads.json");
    Files.writeString(spec, Files.readString(spec).replace("\"embedding_dim\": 32", "\"embedding_dim\": 48"));
    StringWriter err = new StringWriter();

    int exit = new CommandLine(new ModelCli()).setErr(new PrintWriter(err))
        .execute("import-weights", broken.toString(), "--out", dir.resolve("x.avro").toString());

    assertThat(exit).isNotZero();
    assertThat(err.toString()).contains("invalid heads").contains("regression is 6x32, expected 6x48");
    assertThat(dir.resolve("x.avro")).doesNotExist();
  }

  @Test
  void verifyExportPassesOnTheFixtureWithinTheParityTolerance() throws Exception {
    int exit = new CommandLine(new ModelCli()).execute("verify-export", fixture().toString(), "--device", "cpu",
        "--max-tokens", "256", "--tolerance", "1e-5");

    assertThat(exit).isZero();
  }
}
