package io.queststream.model.backbone;

import io.queststream.model.config.BackboneDescriptor;
import io.queststream.model.config.DeviceSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The device a TorchScript backbone was traced on ({@code traced_on} in {@code backbone.json}, written by
 * {@code tools/export_reward_model.py}). A trace records the device of the tensors the model makes itself (rotary
 * positions, attention masks), so a model traced on {@code cuda:0} fails on the CPU and one traced on the CPU fails on
 * a GPU, at the first batch and with an error that names neither (seen with transformers 5.17 and torch 2.11:
 * docs/benchmarks.md). The device is therefore settled at load: {@code auto} takes the traced one, and an explicit
 * device that differs from it is refused with what to do.
 */
public final class TracedDevice {

  private static final Pattern CUDA = Pattern.compile("cuda(?::(\\d{1,4}))?");

  private TracedDevice() {
  }

  /** {@code traced_on} from the backbone.json beside the model file; empty for older exports and other models. */
  public static Optional<DeviceSpec> read(Path modelFile) throws IOException {
    Path dir = modelFile.toAbsolutePath().getParent();
    Optional<String> tracedOn = BackboneDescriptor.read(dir).flatMap(BackboneDescriptor::tracedOn);
    if (tracedOn.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(parse(tracedOn.get(), dir.resolve(BackboneDescriptor.FILE)));
  }

  /**
   * The device to load a backbone traced on {@code traced} on, given the configured one; never {@code auto} when the
   * trace says where it was taken.
   *
   * @param gpuCount the GPUs PyTorch sees, asked only when {@code auto} meets a GPU trace
   * @throws IOException when the configured device is not the traced one, or {@code auto} finds no such GPU
   */
  public static DeviceSpec reconcile(DeviceSpec requested, Optional<DeviceSpec> traced, IntSupplier gpuCount)
      throws IOException {
    if (traced.isEmpty()) {
      return requested;
    }
    DeviceSpec on = traced.get();
    if (requested.kind() == DeviceSpec.Kind.AUTO) {
      if (on.kind() == DeviceSpec.Kind.GPU && gpuCount.getAsInt() <= on.gpuIndex()) {
        throw new IOException("the backbone was traced on " + name(on) + ", which this machine does not have ("
            + gpuCount.getAsInt() + " GPUs): a TorchScript trace runs only on the device it was taken on; export "
            + "it again with export_reward_model.py --device cpu to serve it on the CPU");
      }
      return on;
    }
    if (!requested.equals(on)) {
      throw new IOException("the backbone was traced on " + name(on) + " but model.device asks for "
          + name(requested) + ": a TorchScript trace runs only on the device it was taken on; set model.device to "
          + "auto or " + (on.kind() == DeviceSpec.Kind.CPU ? "cpu" : "gpu:" + on.gpuIndex())
          + ", or export it again with export_reward_model.py --device "
          + (requested.kind() == DeviceSpec.Kind.CPU ? "cpu" : "cuda:" + requested.gpuIndex()));
    }
    return requested;
  }

  static DeviceSpec parse(String tracedOn, Path descriptor) throws IOException {
    String t = tracedOn.trim();
    if (t.equals("cpu")) {
      return DeviceSpec.CPU;
    }
    Matcher m = CUDA.matcher(t);
    if (m.matches()) {
      return new DeviceSpec(DeviceSpec.Kind.GPU, m.group(1) == null ? 0 : Integer.parseInt(m.group(1)));
    }
    throw new IOException(descriptor + ": traced_on must be cpu or cuda:N, was '" + tracedOn + "'");
  }

  private static String name(DeviceSpec device) {
    return device.kind() == DeviceSpec.Kind.GPU
        ? "cuda:" + device.gpuIndex()
        : device.kind().name().toLowerCase(Locale.ROOT);
  }
}
