package io.queststream.model.config;

import java.util.Locale;

/**
 * Where the backbone and the heads run: {@code auto} (first GPU when the engine sees one, else CPU), {@code cpu}, or
 * {@code gpu:N}.
 */
public record DeviceSpec(Kind kind, int gpuIndex) {

  public enum Kind { AUTO, CPU, GPU }

  public static final DeviceSpec AUTO = new DeviceSpec(Kind.AUTO, -1);
  public static final DeviceSpec CPU = new DeviceSpec(Kind.CPU, -1);

  public static DeviceSpec parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("auto")) {
      return AUTO;
    }
    if (t.equals("cpu")) {
      return CPU;
    }
    if (t.equals("gpu")) {
      return new DeviceSpec(Kind.GPU, 0);
    }
    if (t.startsWith("gpu:")) {
      try {
        int index = Integer.parseInt(t.substring(4));
        if (index >= 0) {
          return new DeviceSpec(Kind.GPU, index);
        }
      } catch (NumberFormatException e) {
        // falls through to the error below
      }
    }
    throw new IllegalArgumentException("device must be auto, cpu or gpu:N, was '" + text + "'");
  }

  @Override
  public String toString() {
    return switch (kind) {
      case AUTO -> "auto";
      case CPU -> "cpu";
      case GPU -> "gpu:" + gpuIndex;
    };
  }
}
