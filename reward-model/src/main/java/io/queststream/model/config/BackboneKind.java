package io.queststream.model.config;

import java.util.Locale;

/** How the backbone file is executed: ONNX Runtime for encoders such as MiniLM, PyTorch for exported decoder RMs. */
public enum BackboneKind {
  ONNX("OnnxRuntime", "model.onnx"),
  TORCHSCRIPT("PyTorch", "model.pt");

  private final String engine;
  private final String defaultFileName;

  BackboneKind(String engine, String defaultFileName) {
    this.engine = engine;
    this.defaultFileName = defaultFileName;
  }

  /** DJL engine name. */
  public String engine() {
    return engine;
  }

  /** File name looked up when the configured model path is a directory. */
  public String defaultFileName() {
    return defaultFileName;
  }

  public static BackboneKind parse(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "onnx" -> ONNX;
      case "torchscript", "pytorch" -> TORCHSCRIPT;
      default -> throw new IllegalArgumentException("backbone kind must be onnx or torchscript, was '" + text + "'");
    };
  }
}
