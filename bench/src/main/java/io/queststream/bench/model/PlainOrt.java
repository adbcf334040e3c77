package io.queststream.bench.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.queststream.model.api.PreparedTurn;
import io.queststream.model.api.TokenWindow;
import io.queststream.model.backbone.DjlBackbone;
import io.queststream.model.config.BatcherConfig;
import io.queststream.model.config.EngineThreads;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The same ONNX model through ONNX Runtime's own Java API, without DJL: the baseline the project's backbone is held
 * against. Same padded inputs, same thread count; it stops at the hidden states (no pooling, no heads).
 */
public final class PlainOrt implements AutoCloseable {

  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;
  private final BatcherConfig buckets;

  public PlainOrt(Path modelFile, EngineThreads threads, BatcherConfig buckets) throws OrtException {
    // The project's own session options (spin-waiting), so both sides run ONNX Runtime the same way.
    try (OrtSession.SessionOptions options = DjlBackbone.onnxOptions(threads)) {
      options.setIntraOpNumThreads(threads.intraOp());
      options.setInterOpNumThreads(threads.interOp());
      this.session = env.createSession(modelFile.toString(), options);
    }
    this.buckets = buckets;
  }

  /** Seconds for one pass over the turns in consecutive batches of {@code batchSize}. */
  public double run(List<PreparedTurn> turns, int batchSize) throws OrtException {
    long nanos = 0;
    for (int from = 0; from < turns.size(); from += batchSize) {
      List<PreparedTurn> chunk = turns.subList(from, Math.min(from + batchSize, turns.size()));
      int length = buckets.bucketFor(chunk.stream().mapToInt(PreparedTurn::longestWindow).max().orElse(1));
      List<TokenWindow> rows = chunk.stream().flatMap(t -> t.windows().stream()).toList();
      long[] ids = new long[rows.size() * length];
      long[] mask = new long[ids.length];
      for (int b = 0; b < rows.size(); b++) {
        TokenWindow w = rows.get(b);
        System.arraycopy(w.ids(), 0, ids, b * length, w.length());
        java.util.Arrays.fill(mask, b * length, b * length + w.length(), 1L);
      }
      long[] shape = {rows.size(), length};
      long start = System.nanoTime();
      Map<String, OnnxTensor> inputs = new HashMap<>();
      try {
        for (String name : session.getInputNames()) {
          long[] values = switch (name) {
            case "input_ids" -> ids;
            case "attention_mask" -> mask;
            default -> new long[ids.length];
          };
          inputs.put(name, OnnxTensor.createTensor(env, LongBuffer.wrap(values), shape));
        }
        try (OrtSession.Result result = session.run(inputs)) {
          ((OnnxTensor) result.get(0)).getFloatBuffer();
        }
      } finally {
        inputs.values().forEach(OnnxTensor::close);
      }
      nanos += System.nanoTime() - start;
    }
    return nanos / 1e9;
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
