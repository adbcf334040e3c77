package io.queststream.bench.machine;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.util.Map;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;

/**
 * The OpenBLAS of the org.bytedeco jars, loaded with one thread per available processor, and what it runs on. Its
 * dynamic-architecture build picks a kernel for the CPU at load time, unless the environment variable
 * OPENBLAS_CORETYPE names one: an inherited value silently changes the kernel, so both are printed.
 */
public final class OpenBlasKernel {

  static {
    // Load first: the thread setting looks the OpenBLAS entry point up among the libraries already loaded.
    Loader.load(openblas.class);
    openblas.blas_set_num_threads(Runtime.getRuntime().availableProcessors());
  }

  /** The environment variable that forces a kernel. */
  public static final String CORETYPE = "OPENBLAS_CORETYPE";

  private OpenBlasKernel() {}

  /** e.g. "OpenBLAS 0.3.30 DYNAMIC_ARCH NO_AFFINITY Cooperlake MAX_THREADS=128, kernel Cooperlake, 2 threads". */
  public static String describe() {
    String override = System.getenv(CORETYPE);
    return call("openblas_get_config") + ", kernel " + call("openblas_get_corename") + ", "
        + openblas.blas_get_num_threads() + " threads, OPENBLAS_CORETYPE "
        + (override == null ? "not set" : "=" + override + " (forces the kernel)");
  }

  public static int threads() {
    return openblas.blas_get_num_threads();
  }

  /** Calls a no-argument OpenBLAS function returning a C string, on the library JavaCPP loaded. */
  private static String call(String function) {
    Function f = NativeLibrary.getInstance(libraryPath()).getFunction(function);
    return f.invokeString(new Object[0], false).trim();
  }

  private static String libraryPath() {
    for (Map.Entry<String, String> e : Loader.getLoadedLibraries().entrySet()) {
      if (e.getKey().startsWith("openblas@") || e.getKey().startsWith("openblas_nolapack@")) {
        return e.getValue();
      }
    }
    throw new IllegalStateException("OpenBLAS is not loaded: " + Loader.getLoadedLibraries().keySet());
  }
}
