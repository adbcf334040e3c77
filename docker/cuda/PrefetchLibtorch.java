import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Image build step: lets DJL fetch the CUDA libtorch that matches its PyTorch engine into ENGINE_CACHE_DIR, so the
 * image runs with DJL_OFFLINE=true. The build host has no GPU driver, so loading the library may fail after the
 * download; the build only fails when no CUDA libtorch landed in the cache.
 */
public final class PrefetchLibtorch {

  public static void main(String[] args) throws IOException {
    Path cache = Path.of(System.getenv("ENGINE_CACHE_DIR"));
    try {
      System.out.println("PyTorch engine " + Engine.getEngine("PyTorch").getVersion() + " loaded");
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      System.out.println("libtorch could not be loaded on the build host (expected without a GPU driver): " + e);
    }
    try (Stream<Path> files = Files.walk(cache)) {
      Path cudaLib = files.filter(p -> p.getFileName().toString().startsWith("libtorch_cuda"))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("no CUDA libtorch in " + cache));
      System.out.println("CUDA libtorch cached at " + cudaLib);
    }
  }
}
