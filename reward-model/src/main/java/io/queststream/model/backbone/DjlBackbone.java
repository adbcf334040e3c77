package io.queststream.model.backbone;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import ai.djl.training.util.ProgressBar;
import ai.djl.translate.NoopTranslator;
import ai.djl.util.PairList;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.queststream.model.api.BackboneInfo;
import io.queststream.model.api.PreparedTurn;
import io.queststream.model.api.TokenWindow;
import io.queststream.model.config.BackboneKind;
import io.queststream.model.config.DeviceSpec;
import io.queststream.model.config.EngineThreads;
import io.queststream.model.config.ModelConfig;
import io.queststream.model.config.Pooling;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transformer that turns token ids into hidden states, loaded through DJL: an ONNX model on ONNX Runtime or a
 * TorchScript model on PyTorch. Either way the model takes {@code input_ids} and {@code attention_mask} (ONNX models
 * also get {@code token_type_ids} when they declare it) and returns the final hidden states {@code [batch, seq, dim]};
 * pooling over the prompt and response spans then runs as PyTorch NDArrays on the backbone's device, where the heads
 * run too.
 *
 * <p>Not thread-safe: DJL blocks and their native sessions are used by one thread at a time. The dynamic batcher's
 * single worker thread owns it.
 */
public final class DjlBackbone implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DjlBackbone.class);
  private static final String PYTORCH = "PyTorch";
  private static final String TORCH_INTRA_OP = "ai.djl.pytorch.num_threads";
  private static final String TORCH_INTER_OP = "ai.djl.pytorch.num_interop_threads";

  private final ZooModel<NDList, NDList> model;
  private final Block block;
  private final NDManager tensors;
  private final Device device;
  private final Pooling pooling;
  private final boolean normalize;
  private final List<String> inputNames;
  private final BackboneInfo info;
  private final BackboneKind kind;
  private final EngineThreads threads;

  private DjlBackbone(ZooModel<NDList, NDList> model, Device device, Pooling pooling, boolean normalize, String id,
      int maxTokens, BackboneKind kind, EngineThreads threads) {
    this.model = model;
    this.block = model.getBlock();
    this.device = device;
    this.pooling = pooling;
    this.normalize = normalize;
    this.kind = kind;
    this.threads = threads;
    this.tensors = NDManager.newBaseManager(device, PYTORCH);
    JniUtils.setNumThreads(torchThreads(kind, threads));
    this.inputNames = inputNames(model);
    int dim = probeEmbeddingDim();
    this.info = new BackboneInfo(id, dim, pooling.id(), device.toString(), maxTokens);
  }

  public static DjlBackbone load(ModelConfig config, ModelFiles files) throws IOException {
    EngineThreads threads = config.threads();
    // libtorch reads its pool sizes once, when DJL first loads it; the intra-op size is set again below in case
    // another scorer in this JVM loaded it first (the inter-op size cannot change once work has run).
    System.setProperty(TORCH_INTRA_OP,
        System.getProperty(TORCH_INTRA_OP, Integer.toString(torchThreads(config.kind(), threads))));
    System.setProperty(TORCH_INTER_OP, System.getProperty(TORCH_INTER_OP, Integer.toString(threads.interOp())));
    DeviceSpec spec = config.kind() == BackboneKind.TORCHSCRIPT
        ? TracedDevice.reconcile(config.device(), TracedDevice.read(files.modelFile()),
            () -> Engine.getEngine(PYTORCH).getGpuCount())
        : config.device();
    Device device = resolveDevice(config.kind(), spec);
    try (OrtSession.SessionOptions onnxOptions = config.kind() == BackboneKind.ONNX ? onnxOptions(threads) : null) {
      return load(config, files, device, threads, onnxOptions);
    } catch (OrtException e) {
      throw new IOException("ONNX Runtime refused a session option: " + e.getMessage(), e);
    }
  }

  private static DjlBackbone load(ModelConfig config, ModelFiles files, Device device, EngineThreads threads,
      OrtSession.SessionOptions onnxOptions) throws IOException {
    Criteria<NDList, NDList> criteria = Criteria.builder()
        .setTypes(NDList.class, NDList.class)
        .optModelPath(files.modelFile())
        .optEngine(config.kind().engine())
        .optDevice(device)
        .optTranslator(new NoopTranslator())
        .optOptions(engineOptions(threads, onnxOptions))
        .optProgress(new ProgressBar())
        .build();
    try {
      boolean normalize = ExtraEncoder.named(config.model()).isPresent();
      DjlBackbone backbone = new DjlBackbone(criteria.loadModel(), device, config.pooling(), normalize,
          files.backboneId(), config.maxSequenceTokens(), config.kind(), threads);
      LOG.info("backbone {} on {}: {}", backbone.info.id(), device, backbone.engines());
      return backbone;
    } catch (ModelNotFoundException | MalformedModelException e) {
      throw new IOException("cannot load backbone " + files.modelFile() + ": " + e.getMessage(), e);
    }
  }

  /**
   * ONNX Runtime session options that DJL has no string option for: spin-waiting is a session config entry. The
   * engine still applies the thread counts given as string options to them. A session copies its options when it is
   * created, so the caller closes them once the session exists.
   */
  public static OrtSession.SessionOptions onnxOptions(EngineThreads threads) throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.addConfigEntry("session.intra_op.allow_spinning", threads.spinWait() ? "1" : "0");
    return options;
  }

  /**
   * The engines' options. DJL's ONNX Runtime engine takes ready session options under "sessionOptions" in the same
   * map as its string options (the map's declared type notwithstanding), so that one entry goes in untyped.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Map<String, String> engineOptions(EngineThreads threads, OrtSession.SessionOptions onnxOptions) {
    Map options = new HashMap<>();
    options.put("mapLocation", "true");
    options.put("intraOpNumThreads", Integer.toString(threads.intraOp()));
    options.put("interOpNumThreads", Integer.toString(threads.interOp()));
    if (onnxOptions != null) {
      options.put("sessionOptions", onnxOptions);
    }
    return options;
  }

  /**
   * libtorch's intra-op threads. Next to an ONNX backbone it only pools and runs the heads, a few MFLOP per batch that
   * gain nothing from more threads; and its OpenMP workers keep spinning for a while after each parallel region, on
   * the very cores ONNX Runtime needs for the next batch. So one thread there, all of them for a TorchScript backbone.
   */
  private static int torchThreads(BackboneKind kind, EngineThreads threads) {
    return kind == BackboneKind.TORCHSCRIPT ? threads.intraOp() : 1;
  }

  /**
   * The engines and their thread pools as they run, e.g. "OnnxRuntime 1.21.1 (intra-op 2, inter-op 1) + PyTorch
   * 2.7.1 (intra-op 2, inter-op 1) for pooling and heads". ONNX Runtime does not report its pools, so the configured
   * sizes are shown for it; libtorch's are read back.
   */
  public String engines() {
    String torch = PYTORCH + " " + Engine.getEngine(PYTORCH).getVersion() + " (intra-op " + JniUtils.getNumThreads()
        + ", inter-op " + JniUtils.getNumInteropThreads() + ")";
    if (kind == BackboneKind.TORCHSCRIPT) {
      return torch;
    }
    return kind.engine() + " " + Engine.getEngine(kind.engine()).getVersion() + " (" + threads + ") + " + torch
        + " for pooling and heads";
  }

  /**
   * {@code auto} takes the first GPU PyTorch sees for TorchScript models; ONNX models stay on CPU under {@code auto}
   * because the bundled ONNX Runtime is its CPU build (ask for {@code gpu:N} with a GPU build on the classpath).
   */
  static Device resolveDevice(BackboneKind kind, DeviceSpec spec) {
    return switch (spec.kind()) {
      case CPU -> Device.cpu();
      case GPU -> Device.gpu(spec.gpuIndex());
      case AUTO -> kind == BackboneKind.TORCHSCRIPT && Engine.getEngine(PYTORCH).getGpuCount() > 0
          ? Device.gpu(0) : Device.cpu();
    };
  }

  public BackboneInfo info() {
    return info;
  }

  /** A manager for one batch's PyTorch arrays on the backbone's device; close it when the batch is done. */
  public NDManager newBatchManager() {
    return tensors.newSubManager();
  }

  /** The number of sequences a batch of these turns puts through the backbone: all their windows. */
  public static int windows(List<PreparedTurn> turns) {
    return turns.stream().mapToInt(t -> t.windows().size()).sum();
  }

  /**
   * Runs every window of the turns as one batch padded to {@code paddedLength}, pools each window's prompt and
   * response spans and adds up each turn's windows, so the result has one row per turn.
   *
   * @param manager the batch's manager from {@link #newBatchManager()}; the result is attached to it
   */
  public PooledBatch forward(List<PreparedTurn> turns, int paddedLength, NDManager manager) {
    int rows = windows(turns);
    long[] ids = new long[rows * paddedLength];
    long[] mask = new long[rows * paddedLength];
    float[] turnOfRow = new float[turns.size() * rows];
    int row = 0;
    for (int b = 0; b < turns.size(); b++) {
      PreparedTurn t = turns.get(b);
      for (TokenWindow w : t.windows()) {
        if (w.length() > paddedLength) {
          throw new IllegalArgumentException("turn " + t.turnId() + " has a window of " + w.length()
              + " tokens, batch is padded to " + paddedLength);
        }
        System.arraycopy(w.ids(), 0, ids, row * paddedLength, w.length());
        Arrays.fill(mask, row * paddedLength, row * paddedLength + w.length(), 1L);
        turnOfRow[b * rows + row] = 1f;
        row++;
      }
    }
    NDArray hidden = hiddenStates(ids, mask, new Shape(rows, paddedLength), manager);
    NDArray promptWeights = manager.create(SpanWeights.prompt(turns, rows, paddedLength, pooling),
        new Shape(rows, 1, paddedLength));
    NDArray responseWeights = manager.create(SpanWeights.response(turns, rows, paddedLength, pooling),
        new Shape(rows, 1, paddedLength));
    NDArray sumWindows = manager.create(turnOfRow, new Shape(turns.size(), rows));
    NDArray prompt = sumWindows.matMul(promptWeights.matMul(hidden).squeeze(1));
    NDArray response = sumWindows.matMul(responseWeights.matMul(hidden).squeeze(1));
    return normalize ? new PooledBatch(unitLength(prompt), unitLength(response)) : new PooledBatch(prompt, response);
  }

  /** Rows scaled to unit L2 norm, as encoders trained for cosine similarity emit them. */
  private static NDArray unitLength(NDArray rows) {
    return rows.div(rows.norm(new int[] {1}, true).maximum(1e-12f));
  }

  /** Final hidden states {@code [batch, seq, dim]} as float32 PyTorch arrays attached to {@code manager}. */
  private NDArray hiddenStates(long[] ids, long[] mask, Shape shape, NDManager manager) {
    try (NDManager engineArrays = model.getNDManager().newSubManager(device)) {
      NDList inputs = new NDList();
      for (String name : inputNames) {
        NDArray input = switch (name) {
          case "input_ids" -> engineArrays.create(ids, shape);
          case "attention_mask" -> engineArrays.create(mask, shape);
          case "token_type_ids" -> engineArrays.zeros(shape, DataType.INT64);
          default -> throw new IllegalStateException("backbone input '" + name + "' is not supported");
        };
        input.setName(name);
        inputs.add(input);
      }
      NDList outputs = block.forward(new ParameterStore(engineArrays, false), inputs, false);
      NDArray hidden = lastHiddenState(outputs);
      NDArray onDevice = hidden.getManager().getEngine().getEngineName().equals(PYTORCH)
          ? hidden : manager.from(hidden);
      NDArray result = onDevice.toType(DataType.FLOAT32, false);
      result.attach(manager);
      return result;
    }
  }

  private static NDArray lastHiddenState(NDList outputs) {
    NDArray named = outputs.get("last_hidden_state");
    if (named != null) {
      return named;
    }
    for (NDArray a : outputs) {
      if (a.getShape().dimension() == 3) {
        return a;
      }
    }
    throw new IllegalStateException("backbone returned no [batch, seq, dim] output: " + outputs.getShapes());
  }

  /** ONNX models declare their inputs by name; TorchScript models take (input_ids, attention_mask) by position. */
  private static List<String> inputNames(ZooModel<NDList, NDList> model) {
    PairList<String, Shape> declared = model.describeInput();
    if (declared == null || declared.isEmpty()) {
      return List.of("input_ids", "attention_mask");
    }
    return new ArrayList<>(declared.keys());
  }

  private int probeEmbeddingDim() {
    try (NDManager m = newBatchManager()) {
      NDArray hidden = hiddenStates(new long[] {1, 2}, new long[] {1, 1}, new Shape(1, 2), m);
      return (int) hidden.getShape().get(2);
    }
  }

  @Override
  public void close() {
    tensors.close();
    model.close();
  }
}
