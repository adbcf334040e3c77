package io.queststream.model.config;

/**
 * Threads the backbone's engines compute with. Intra-op threads split one operator (a matmul) across cores; inter-op
 * threads run independent operators side by side, which sequential transformer graphs rarely have. ONNX Runtime left
 * to itself sizes its pool from what it takes for physical cores and libtorch from its own probe, and on virtual
 * machines either may settle on one core, so both are set explicitly.
 *
 * @param intraOp threads per operator, for ONNX Runtime and libtorch alike
 * @param interOp threads across independent operators
 */
public record EngineThreads(int intraOp, int interOp) {

  public EngineThreads {
    if (intraOp < 1 || interOp < 1) {
      throw new IllegalArgumentException("engine threads must be at least 1, were intra-op " + intraOp
          + ", inter-op " + interOp);
    }
  }

  /** Every processor this JVM may use for one operator, one thread across operators. */
  public static EngineThreads availableProcessors() {
    return new EngineThreads(Runtime.getRuntime().availableProcessors(), 1);
  }

  @Override
  public String toString() {
    return "intra-op " + intraOp + ", inter-op " + interOp;
  }
}
