package io.queststream.trainer.support;

import io.queststream.schemas.AttributeRating;
import io.queststream.schemas.PreferencePair;
import io.queststream.schemas.TurnEmbedding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;

/**
 * Feedback records drawn from a known linear reward model: per context two alternative responses, a rating of each
 * on a 1..10 scale and a preference for the better one.
 */
public final class SyntheticFeedback {

  public static final List<String> ATTRIBUTES = List.of("creativity", "engagement");

  private final int dim;
  private final Random rnd;
  private final double[][] w;

  public SyntheticFeedback(int dim, long seed) {
    this.dim = dim;
    this.rnd = new Random(seed);
    this.w = new double[ATTRIBUTES.size()][dim];
    for (double[] row : w) {
      for (int c = 0; c < dim; c++) {
        row[c] = rnd.nextGaussian() * 0.3;
      }
    }
  }

  /** Records for {@code contexts} contexts, embeddings last so every join waits for them at least once. */
  public List<SpecificRecord> records(String prefix, int contexts) {
    List<SpecificRecord> feedback = new ArrayList<>();
    List<SpecificRecord> embeddings = new ArrayList<>();
    for (int c = 0; c < contexts; c++) {
      Context context = context(prefix + "-ctx" + c);
      embeddings.addAll(context.embeddings());
      feedback.addAll(context.ratings());
      feedback.add(context.pair());
    }
    feedback.addAll(embeddings);
    return feedback;
  }

  /**
   * One context {@code ctx}: two responses (turns {@code ctx-a}, {@code ctx-b}) to one prompt, a rating of each and
   * the preference for the one the model scores higher.
   */
  public Context context(String ctx) {
    float[] prompt = gaussian();
    String[] ids = {ctx + "-a", ctx + "-b"};
    double[] scores = new double[2];
    List<TurnEmbedding> embeddings = new ArrayList<>();
    List<AttributeRating> ratings = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      float[] response = gaussian();
      double[] r = rewards(response);
      scores[i] = r[0] + r[1];
      embeddings.add(Records.embedding(ids[i], ctx, prompt, response, 20 + rnd.nextInt(200)));
      ratings.add(Records.rating(ids[i] + "-r", ids[i], Map.of(ATTRIBUTES.get(0), toScale(r[0]),
          ATTRIBUTES.get(1), toScale(r[1]))));
    }
    boolean aWins = scores[0] > scores[1];
    return new Context(embeddings, ratings,
        Records.pair(ctx + "-p", aWins ? ids[0] : ids[1], aWins ? ids[1] : ids[0], 1f));
  }

  /** The records of one context. */
  public record Context(List<TurnEmbedding> embeddings, List<AttributeRating> ratings, PreferencePair pair) {}

  private static float toScale(double r) {
    double p = 1 / (1 + Math.exp(-r));
    return (float) (1 + 9 * p);
  }

  private double[] rewards(float[] h) {
    double[] r = new double[w.length];
    for (int k = 0; k < w.length; k++) {
      for (int c = 0; c < dim; c++) {
        r[k] += w[k][c] * h[c];
      }
    }
    return r;
  }

  /** Gaussian features plus a constant one, like the shared mean direction of real sentence embeddings. */
  private float[] gaussian() {
    float[] v = new float[dim];
    for (int i = 0; i < dim - 1; i++) {
      v[i] = (float) rnd.nextGaussian();
    }
    v[dim - 1] = 1;
    return v;
  }
}
