package io.queststream.model.backbone;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import java.nio.file.Path;

/** The MiniLM ONNX model through a plain DJL predictor, one unpadded sequence at a time: an independent reference. */
final class PlainMiniLm implements AutoCloseable {

  private final ZooModel<NDList, NDList> model;

  PlainMiniLm(Path modelFile) throws Exception {
    model = Criteria.builder().setTypes(NDList.class, NDList.class).optModelPath(modelFile)
        .optEngine("OnnxRuntime").optTranslator(new NoopTranslator()).build().loadModel();
  }

  /** Hidden states [T, 384] of one sequence. */
  float[][] hiddenStates(long[] ids) throws Exception {
    try (Predictor<NDList, NDList> predictor = model.newPredictor(); NDManager m = NDManager.newBaseManager()) {
      Shape shape = new Shape(1, ids.length);
      NDArray input = m.create(ids, shape);
      input.setName("input_ids");
      NDArray mask = m.ones(shape, DataType.INT64);
      mask.setName("attention_mask");
      NDArray types = m.zeros(shape, DataType.INT64);
      types.setName("token_type_ids");
      float[] flat = predictor.predict(new NDList(input, mask, types)).get(0).toFloatArray();
      int dim = flat.length / ids.length;
      float[][] rows = new float[ids.length][dim];
      for (int t = 0; t < ids.length; t++) {
        System.arraycopy(flat, t * dim, rows[t], 0, dim);
      }
      return rows;
    }
  }

  static float[] mean(float[][] rows, int from, int to) {
    float[] out = new float[rows[0].length];
    for (int d = 0; d < out.length; d++) {
      double s = 0;
      for (int t = from; t < to; t++) {
        s += rows[t][d];
      }
      out[d] = (float) (s / (to - from));
    }
    return out;
  }

  @Override
  public void close() {
    model.close();
  }
}
