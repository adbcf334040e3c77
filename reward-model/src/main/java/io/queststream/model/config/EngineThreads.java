package io.queststream.model.config;

/**
 * Threads the backbone's engines compute with. Intra-op threads split one operator (a matmul) across cores; inter-op
 * threads run independent operators side by side, which sequential transformer graphs rarely have. ONNX Runtime left
 * to itself sizes its pool from what it takes for physical cores and libtorch from its own probe, and on virtual
 * machines either may settle on one core, so both are set explicitly.
 *
 * <p>ONNX Runtime's idle intra-op workers spin-wait for the next operator by default. Between operators of one
 * forward pass that saves a wake-up; between the batches of a stream it burns the cores the stream threads, the
 * broker client and the garbage collector need, so spinning is off unless asked for (docs/benchmarks.md measures
 * both).
 *
 * @param intraOp threads per operator, for ONNX Runtime and libtorch alike
 * @param interOp threads across independent operators
 * @param spinWait whether ONNX Runtime's idle intra-op workers spin instead of sleeping
 */
public record EngineThreads(int intraOp, int interOp, boolean spinWait) {

  public EngineThreads {
    if (intraOp < 1 || interOp < 1) {
      throw new IllegalArgumentException("engine threads must be at least 1, were intra-op " + intraOp
          + ", inter-op " + interOp);
    }
  }

  /** The given pool sizes, workers sleeping when idle. */
  public EngineThreads(int intraOp, int interOp) {
    this(intraOp, interOp, false);
  }

  /** Every processor this JVM may use for one operator, one thread across operators. */
  public static EngineThreads availableProcessors() {
    return new EngineThreads(Runtime.getRuntime().availableProcessors(), 1);
  }

  /** The available processors divided among {@code workers} that compute side by side, at least one each. */
  public static int perWorker(int workers) {
    return Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, workers));
  }

  public EngineThreads withSpinWait(boolean spin) {
    return new EngineThreads(intraOp, interOp, spin);
  }

  @Override
  public String toString() {
    return "intra-op " + intraOp + ", inter-op " + interOp + ", spin-wait " + (spinWait ? "on" : "off");
  }
}
