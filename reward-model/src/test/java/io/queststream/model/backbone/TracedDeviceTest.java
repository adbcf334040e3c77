package io.queststream.model.backbone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queststream.model.RewardScorers;
import io.queststream.model.config.DeviceSpec;
import io.queststream.model.config.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TracedDeviceTest {

  private static final DeviceSpec GPU0 = new DeviceSpec(DeviceSpec.Kind.GPU, 0);
  private static final DeviceSpec GPU1 = new DeviceSpec(DeviceSpec.Kind.GPU, 1);
  private static final IntSupplier NOT_ASKED = () -> {
    throw new AssertionError("the GPU count was asked for");
  };

  @Test
  void autoTakesTheTracedDevice() throws Exception {
    assertThat(TracedDevice.reconcile(DeviceSpec.AUTO, Optional.of(DeviceSpec.CPU), NOT_ASKED))
        .isEqualTo(DeviceSpec.CPU);
    assertThat(TracedDevice.reconcile(DeviceSpec.AUTO, Optional.of(GPU1), () -> 2)).isEqualTo(GPU1);
  }

  @Test
  void autoWithoutTheTracedGpuIsRefusedWithWhatToDo() {
    assertThatThrownBy(() -> TracedDevice.reconcile(DeviceSpec.AUTO, Optional.of(GPU1), () -> 1))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("traced on cuda:1, which this machine does not have (1 GPUs)")
        .hasMessageContaining("--device cpu");
  }

  @Test
  void anExplicitDeviceOtherThanTheTracedOneIsRefused() {
    assertThatThrownBy(() -> TracedDevice.reconcile(DeviceSpec.CPU, Optional.of(GPU0), NOT_ASKED))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("traced on cuda:0 but model.device asks for cpu")
        .hasMessageContaining("set model.device to auto or gpu:0")
        .hasMessageContaining("--device cpu");
    assertThatThrownBy(() -> TracedDevice.reconcile(GPU1, Optional.of(DeviceSpec.CPU), NOT_ASKED))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("traced on cpu but model.device asks for cuda:1")
        .hasMessageContaining("--device cuda:1");
    assertThatThrownBy(() -> TracedDevice.reconcile(GPU1, Optional.of(GPU0), NOT_ASKED))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("traced on cuda:0 but model.device asks for cuda:1");
  }

  @Test
  void theTracedDeviceAskedForExplicitlyOrNoTraceKeepsTheRequest() throws Exception {
    assertThat(TracedDevice.reconcile(GPU0, Optional.of(GPU0), NOT_ASKED)).isEqualTo(GPU0);
    assertThat(TracedDevice.reconcile(DeviceSpec.CPU, Optional.of(DeviceSpec.CPU), NOT_ASKED))
        .isEqualTo(DeviceSpec.CPU);
    assertThat(TracedDevice.reconcile(DeviceSpec.AUTO, Optional.empty(), NOT_ASKED)).isEqualTo(DeviceSpec.AUTO);
  }

  @Test
  void readsTracedOnFromTheBackboneJsonBesideTheModel(@TempDir Path dir) throws Exception {
    Path model = dir.resolve("model.pt");
    assertThat(TracedDevice.read(model)).isEmpty();
    assertThat(TracedDevice.read(withTrace(dir, null))).isEmpty();
    assertThat(TracedDevice.read(withTrace(dir, "\"cpu\""))).contains(DeviceSpec.CPU);
    assertThat(TracedDevice.read(withTrace(dir, "\"cuda\""))).contains(GPU0);
    assertThat(TracedDevice.read(withTrace(dir, "\"cuda:1\""))).contains(GPU1);
  }

  @Test
  void anUnknownTracedDeviceIsAnErrorNotAGuess(@TempDir Path dir) throws Exception {
    for (String bad : new String[] {"\"tpu\"", "\"cuda:99999999999\"", "\"cuda:-1\"", "\"\"", "3"}) {
      Path model = withTrace(dir, bad);
      assertThatThrownBy(() -> TracedDevice.read(model)).as(bad)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("traced_on must be cpu or cuda:N");
    }
  }

  /** Through the scorer's own loading: the parity fixture, marked as traced on a GPU, asked for on the CPU. */
  @Test
  void theScorerRefusesAGpuTraceOnTheCpuAtLoad(@TempDir Path dir) throws Exception {
    Path fixture = Path.of(TracedDeviceTest.class.getResource("/parity/tiny-decoder").toURI());
    copy(fixture, dir);
    withTrace(dir, "\"cuda:0\"");

    assertThatThrownBy(() -> RewardScorers.create(ModelConfig.torchScript(dir, 256).withDevice(DeviceSpec.CPU)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("traced on cuda:0 but model.device asks for cpu");
  }

  private static Path withTrace(Path dir, String tracedOn) throws IOException {
    Files.writeString(dir.resolve(ModelFiles.BACKBONE_JSON), "{\"id\": \"x\", \"pooling\": \"last_token\""
        + (tracedOn == null ? "" : ", \"traced_on\": " + tracedOn) + "}");
    return dir.resolve("model.pt");
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }
}
